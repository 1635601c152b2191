package io.sweepfarm.devstack.modelgen;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Layout follows openai/CLIP clip/simple_tokenizer.py and transformers' CLIPTokenizer files. */
class ClipVocabularyTest {

    private final ClipVocabulary vocab = ClipVocabulary.build(TinyStableDiffusion.MAX_MERGES);

    @Test
    void the_byte_table_starts_with_printable_ascii_and_maps_the_rest_above_255() {
        List<String> bytes = ClipVocabulary.bytesToUnicodeOrder();
        assertThat(bytes).hasSize(256).doesNotHaveDuplicates();
        assertThat(bytes.get(0)).isEqualTo("!");
        assertThat(bytes.get(93)).isEqualTo("~");
        assertThat(bytes.get(188)).isEqualTo("\u0100"); // byte 0
        assertThat(bytes.get(188 + 32)).isEqualTo("\u0120"); // space, 'Ġ'
    }

    @Test
    void ids_are_bytes_then_end_of_word_bytes_then_merges_then_the_two_specials() {
        List<String> tokens = vocab.tokens();
        assertThat(tokens.get(0)).isEqualTo("!");
        assertThat(tokens.get(256)).isEqualTo("!</w>");
        assertThat(tokens.get(tokens.size() - 2)).isEqualTo("<|startoftext|>");
        assertThat(tokens.get(tokens.size() - 1)).isEqualTo("<|endoftext|>");
        assertThat(tokens).doesNotHaveDuplicates();
        assertThat(vocab.merges()).hasSizeBetween(200, TinyStableDiffusion.MAX_MERGES);
    }

    @Test
    void every_merge_joins_tokens_that_exist_before_it() {
        Set<String> known = new HashSet<>(vocab.tokens().subList(0, 512));
        for (String[] merge : vocab.merges()) {
            assertThat(known).contains(merge[0], merge[1]);
            known.add(merge[0] + merge[1]);
        }
        assertThat(vocab.tokens()).contains("photo</w>", "astronaut</w>");
    }

    @Test
    void the_merges_file_has_the_version_header() {
        String text = vocab.mergesText();
        assertThat(text).startsWith("#version: 0.2\n");
        assertThat(text.lines().count()).isEqualTo(vocab.merges().size() + 1);
    }

    @Test
    void building_twice_gives_the_same_vocabulary() {
        assertThat(ClipVocabulary.build(TinyStableDiffusion.MAX_MERGES).vocab()).isEqualTo(vocab.vocab());
    }
}
