package io.sweepfarm.engine.tokenizer;

import static io.sweepfarm.engine.tokenizer.TinyClip.CAT;
import static io.sweepfarm.engine.tokenizer.TinyClip.COMMA;
import static io.sweepfarm.engine.tokenizer.TinyClip.DOG;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BPE tokenization on the {@link TinyClip} vocabulary. Expected ids follow from the rules of openai/CLIP
 * {@code clip/simple_tokenizer.py}: a piece's UTF-8 bytes become byte characters, the last one gets {@code </w>},
 * and the adjacent pair with the lowest merge rank is merged (all its occurrences) until no pair has a rank.
 * A byte character's id is its index in the {@code bytes_to_unicode} order (for {@code !..~}: code - 33), plus 256
 * when it carries {@code </w>}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClipTokenizerTest {

    private final ClipTokenizer clip = TinyClip.sd1();

    @Test
    void special_tokens_and_the_default_pad_come_from_the_vocabulary() {
        assertThat(clip.bosId()).isEqualTo(525);
        assertThat(clip.eosId()).isEqualTo(526);
        assertThat(clip.padId()).isEqualTo(526); // no tokenizer_config.json: pad with the end token (SD 1.x)
        assertThat(clip.commaId()).isEqualTo(267);
        assertThat(clip.contextLength()).isEqualTo(77);
        assertThat(clip.vocabSize()).isEqualTo(527);
    }

    @Test
    void the_pad_token_is_read_from_the_tokenizer_config(@TempDir Path dir) throws IOException {
        assertThat(TinyClip.sd2(dir).padId()).isEqualTo(TinyClip.BANG);
    }

    @Test
    void a_word_merges_fully_in_rank_order() {
        // c a t</w>: (c,a) rank 0 -> ca t</w>; (ca,t</w>) rank 1 -> cat</w> = 513
        assertThat(clip.encode("cat")).containsExactly(CAT);
        // h e l l o</w>: he (4), then ll (5) before any other pair, he ll -> hell (6), hell o</w> (7) -> 519
        assertThat(clip.encode("hello")).containsExactly(519);
    }

    @Test
    void a_word_merges_partly_when_no_rule_covers_the_rest() {
        // c a t s</w>: ca (rank 0); (ca,t) has no rank (only "ca t</w>" does) -> ca=512, t=116-33=83, s</w>=256+82=338
        assertThat(clip.encode("cats")).containsExactly(512, 83, 338);
        // d o g s</w>: do (2) -> do=514, g=103-33=70, s</w>=338
        assertThat(clip.encode("dogs")).containsExactly(514, 70, 338);
    }

    @Test
    void text_is_lower_cased_and_whitespace_is_collapsed() {
        // -> "hello world"; w o r l d</w>: wo (9), rl (10), wo rl (11), worl d</w> (12) -> 524
        assertThat(clip.encode("  Hello\t\tWORLD \n ")).containsExactly(519, 524);
    }

    @Test
    void punctuation_runs_and_single_digits_are_separate_pieces() {
        // "cat" | "!!," is one run of other characters -> ! (0), ! (0), ,</w> (256+11 = 267) | digits are single
        // pieces: "4" -> 4</w> = 256+19 = 275, "2" -> 256+17 = 273
        assertThat(clip.encode("cat!!, 42")).containsExactly(CAT, 0, 0, COMMA, 275, 273);
        // "!!" alone -> ! (0) + !</w> (256)
        assertThat(clip.encode("cat !!")).containsExactly(CAT, 0, 256);
        assertThat(clip.encode("cat, dog")).containsExactly(CAT, COMMA, DOG);
    }

    @Test
    void contractions_are_split_off() {
        // "it" -> i=72, t</w>=339 (no merges); "'s" -> ' s</w> -> 's</w> (rank 8) = 520
        assertThat(clip.encode("it's")).containsExactly(72, 339, 520);
        // a curly apostrophe is straightened first (ftfy's uncurl_quotes)
        assertThat(clip.encode("IT\u2019S")).containsExactly(72, 339, 520);
    }

    @Test
    void non_ascii_text_is_tokenized_as_utf8_bytes() {
        // é = C3 A9: C3 (195) is in ®..ÿ -> id 106 + (195-174) = 127; A9 (169) in ¡..¬ -> 94 + 8 = 102, +256 = 358
        assertThat(clip.encode("é")).containsExactly(127, 358);
        // the decomposed form e + U+0301 is NFC-normalized to the same
        assertThat(clip.encode("e\u0301")).containsExactly(127, 358);
        // ā = C4 81: C4 -> 106 + 22 = 128; 0x81 is not printable: the 36th such byte (0x00..0x20 are 33, then
        // 0x7F, 0x80, 0x81) -> U+0123 at id 188 + 35 = 223, +256 = 479
        assertThat(clip.encode("ā")).containsExactly(128, 479);
    }

    @Test
    void html_entities_are_unescaped_like_clip() {
        // & -> 256 + (38-33) = 261; CLIP unescapes twice, so &amp;amp; is & as well
        assertThat(clip.encode("cat &amp; dog")).containsExactly(CAT, 261, DOG);
        assertThat(clip.encode("cat &amp;amp; dog")).containsExactly(CAT, 261, DOG);
        assertThat(clip.encode("&#99;at")).containsExactly(CAT);
    }

    @Test
    void special_token_text_maps_to_the_special_ids() {
        assertThat(clip.encode("cat<|endoftext|>")).containsExactly(CAT, 526);
    }

    @Test
    void empty_and_blank_text_give_no_tokens() {
        assertThat(clip.encode("")).isEmpty();
        assertThat(clip.encode(" \t\n")).isEmpty();
    }

    @Test
    void one_tokenizer_can_serve_several_threads() {
        List<String> prompts = IntStream.range(0, 2000).mapToObj(i -> "hello cats, dogs " + i + " world").toList();
        List<int[]> sequential = prompts.stream().map(clip::encode).toList();
        List<int[]> parallel = prompts.parallelStream().map(TinyClip.sd1()::encode).toList();
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(parallel.get(i)).containsExactly(sequential.get(i));
        }
    }

    @Test
    void decode_reverses_encode_up_to_cleanup() {
        assertThat(clip.decode(clip.encode("Hello, cats & dogs! é"))).isEqualTo("hello , cats & dogs ! é");
    }
}
