package io.sweepfarm.engine.tokenizer;

import static io.sweepfarm.engine.tokenizer.TinyClip.BANG;
import static io.sweepfarm.engine.tokenizer.TinyClip.BOS;
import static io.sweepfarm.engine.tokenizer.TinyClip.CAT;
import static io.sweepfarm.engine.tokenizer.TinyClip.COMMA;
import static io.sweepfarm.engine.tokenizer.TinyClip.DOG;
import static io.sweepfarm.engine.tokenizer.TinyClip.EOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of 77 with emphasis weights and long-prompt handling, on the {@link TinyClip} vocabulary ("cat" = 513,
 * "dog" = 515, ","= 267, "a" = 320; BOS 525, EOS 526). The chunking rules are those of {@code tokenize_line} in
 * AUTOMATIC1111/stable-diffusion-webui {@code modules/sd_hijack_clip.py}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PromptTokenizerTest {

    private final PromptTokenizer sd1 = new PromptTokenizer(TinyClip.sd1());

    private static int[] row(int pad, int... tokens) {
        int[] r = new int[77];
        Arrays.fill(r, pad);
        r[0] = BOS;
        System.arraycopy(tokens, 0, r, 1, tokens.length);
        r[1 + tokens.length] = EOS;
        return r;
    }

    private static int[] repeat(int token, int n) {
        int[] r = new int[n];
        Arrays.fill(r, token);
        return r;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static String words(String word, int n) {
        return String.join(" ", java.util.Collections.nCopies(n, word));
    }

    @Test
    void an_empty_prompt_is_bos_eos_and_padding() {
        TokenizedPrompt p = sd1.tokenize("", PromptOverflow.CHUNK);
        assertThat(p.chunks()).isEqualTo(1);
        assertThat(p.ids()).containsExactly(row(EOS));
        assertThat(p.weights()).containsOnly(1.0f);
        assertThat(p.tokenCount()).isZero();
        assertThat(sd1.tokenize("", PromptOverflow.TRUNCATE).ids()).containsExactly(row(EOS));
    }

    @Test
    void a_short_prompt_is_padded_to_77_with_the_pad_id(@TempDir Path dir) throws IOException {
        assertThat(sd1.tokenize("a cat", PromptOverflow.CHUNK).ids()).containsExactly(row(EOS, 320, CAT));
        // SD 2.x pads with "!" after the end token
        PromptTokenizer sd2 = new PromptTokenizer(TinyClip.sd2(dir));
        TokenizedPrompt p = sd2.tokenize("a cat", PromptOverflow.CHUNK);
        assertThat(p.ids()).containsExactly(row(BANG, 320, CAT));
        assertThat(p.ids()[3]).isEqualTo(EOS);
        assertThat(p.ids()[4]).isEqualTo(BANG);
    }

    @Test
    void emphasis_weights_land_on_their_tokens() {
        // (cat:1.2): one fragment "cat" with weight 1.2 -> row BOS cat EOS ..., weight 1.2f at position 1
        TokenizedPrompt p = sd1.tokenize("(cat:1.2)", PromptOverflow.CHUNK);
        assertThat(Arrays.copyOf(p.ids(), 3)).containsExactly(BOS, CAT, EOS);
        assertThat(Arrays.copyOf(p.weights(), 3)).containsExactly(1.0f, 1.2f, 1.0f);

        assertThat(sd1.tokenize("((cat))", PromptOverflow.CHUNK).weights()[1]).isEqualTo((float) (1.1 * 1.1));
        assertThat(sd1.tokenize("((cat))", PromptOverflow.CHUNK).weights()[1]).isEqualTo(1.21f);
        assertThat(sd1.tokenize("[cat]", PromptOverflow.CHUNK).weights()[1]).isEqualTo((float) (1 / 1.1));

        // "a (cat) dog" -> fragments "a " 1.0, "cat" 1.1, " dog" 1.0, tokenized one by one
        TokenizedPrompt mixed = sd1.tokenize("a (cat) dog", PromptOverflow.TRUNCATE);
        assertThat(Arrays.copyOf(mixed.ids(), 5)).containsExactly(BOS, 320, CAT, DOG, EOS);
        assertThat(Arrays.copyOf(mixed.weights(), 5)).containsExactly(1.0f, 1.0f, 1.1f, 1.0f, 1.0f);
    }

    @Test
    void escaped_brackets_stay_literal_text() {
        // "(cat)" -> pieces "(" ")" are punctuation runs: (</w> = 256+7 = 263, )</w> = 264
        TokenizedPrompt p = sd1.tokenize("\\(cat\\)", PromptOverflow.CHUNK);
        assertThat(Arrays.copyOf(p.ids(), 5)).containsExactly(BOS, 263, CAT, 264, EOS);
        assertThat(Arrays.copyOf(p.weights(), 5)).containsOnly(1.0f);
    }

    @Test
    void a_long_prompt_is_truncated_to_75_tokens_with_a_warning() {
        TokenizedPrompt p = sd1.tokenize(words("cat", 80), PromptOverflow.TRUNCATE);
        assertThat(p.chunks()).isEqualTo(1);
        assertThat(p.ids()).containsExactly(concat(new int[] {BOS}, repeat(CAT, 75), new int[] {EOS}));
        assertThat(p.tokenCount()).isEqualTo(75);
        assertThat(p.warnings()).singleElement().asString()
                .contains("5 of 80 tokens dropped").endsWith("cat cat cat cat cat");
    }

    @Test
    void a_long_prompt_is_split_into_chunks_of_75() {
        TokenizedPrompt p = sd1.tokenize(words("cat", 80), PromptOverflow.CHUNK);
        assertThat(p.chunks()).isEqualTo(2);
        assertThat(p.chunkIds(0)).containsExactly(concat(new int[] {BOS}, repeat(CAT, 75), new int[] {EOS}));
        assertThat(p.chunkIds(1)).containsExactly(row(EOS, repeat(CAT, 5)));
        assertThat(p.tokenCount()).isEqualTo(80);
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void a_chunk_ends_after_a_comma_within_the_last_20_tokens() {
        // 70 cats, a comma at position 70, then 10 dogs. When the 76th token (the 5th dog) arrives the row is full and
        // the comma is 75 - 70 = 5 <= 20 positions from the end: the 4 dogs after it move to the next row.
        TokenizedPrompt p = sd1.tokenize(words("cat", 70) + ", " + words("dog", 10), PromptOverflow.CHUNK);
        assertThat(p.chunks()).isEqualTo(2);
        assertThat(p.chunkIds(0)).containsExactly(row(EOS, concat(repeat(CAT, 70), new int[] {COMMA})));
        assertThat(p.chunkIds(1)).containsExactly(row(EOS, repeat(DOG, 10)));
    }

    @Test
    void a_comma_further_back_than_20_tokens_does_not_move_words() {
        // comma at position 50: 75 - 50 = 25 > 20, so the row is cut at 75 tokens
        TokenizedPrompt p = sd1.tokenize(words("cat", 50) + ", " + words("dog", 30), PromptOverflow.CHUNK);
        assertThat(p.chunkIds(0)).containsExactly(
                concat(new int[] {BOS}, repeat(CAT, 50), new int[] {COMMA}, repeat(DOG, 24), new int[] {EOS}));
        assertThat(p.chunkIds(1)).containsExactly(row(EOS, repeat(DOG, 6)));
    }

    @Test
    void break_starts_a_new_chunk_or_is_ignored_when_truncating() {
        TokenizedPrompt chunked = sd1.tokenize("cat BREAK dog", PromptOverflow.CHUNK);
        assertThat(chunked.chunks()).isEqualTo(2);
        assertThat(chunked.chunkIds(0)).containsExactly(row(EOS, CAT));
        assertThat(chunked.chunkIds(1)).containsExactly(row(EOS, DOG));

        TokenizedPrompt truncated = sd1.tokenize("cat BREAK dog", PromptOverflow.TRUNCATE);
        assertThat(truncated.ids()).containsExactly(row(EOS, CAT, DOG));
        assertThat(truncated.warnings()).singleElement().asString().contains("BREAK");
    }

    @Test
    void conditional_and_unconditional_prompts_get_the_same_chunk_count() {
        List<TokenizedPrompt> both = sd1.tokenizeAll(List.of(words("cat", 80), ""), PromptOverflow.CHUNK);
        assertThat(both).extracting(TokenizedPrompt::chunks).containsExactly(2, 2);
        assertThat(both.get(1).chunkIds(0)).containsExactly(row(EOS));
        assertThat(both.get(1).chunkIds(1)).containsExactly(row(EOS));
        assertThat(both.get(1).weights()).hasSize(2 * 77).containsOnly(1.0f);
    }

    @Test
    void padding_to_a_chunk_count_appends_empty_chunks(@TempDir Path dir) throws IOException {
        PromptTokenizer sd2 = new PromptTokenizer(TinyClip.sd2(dir));
        TokenizedPrompt padded = sd2.padToChunks(sd2.tokenize("(cat:1.5)", PromptOverflow.CHUNK), 3);
        assertThat(padded.chunks()).isEqualTo(3);
        assertThat(padded.chunkIds(0)).containsExactly(row(BANG, CAT));
        assertThat(padded.chunkWeights(0)[1]).isEqualTo(1.5f);
        assertThat(padded.chunkIds(1)).containsExactly(row(BANG));
        assertThat(padded.chunkIds(2)).containsExactly(row(BANG));
        assertThat(padded.tokenCount()).isEqualTo(1);
        assertThatThrownBy(() -> sd2.padToChunks(padded, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
