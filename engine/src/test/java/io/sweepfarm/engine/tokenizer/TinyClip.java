package io.sweepfarm.engine.tokenizer;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test vocabulary in CLIP's format, under {@code src/test/resources/.../tokenizer/tiny-clip/tokenizer/}.
 *
 * <p>It is laid out like openai/CLIP's {@code SimpleTokenizer} builds its vocabulary ({@code clip/simple_tokenizer.py}):
 * ids 0..255 are the 256 byte characters of {@code bytes_to_unicode} in its order ({@code !..~} = ids 0..93,
 * {@code ¡..¬} = 94..105, {@code ®..ÿ} = 106..187, then the other 68 bytes 0x00..0x20, 0x7F..0xA0, 0xAD mapped to
 * U+0100.. = 188..255); ids 256..511 are the same characters with {@code </w>}; then one token per merge; then
 * {@code <|startoftext|>} and {@code <|endoftext|>}. So the byte ids equal real CLIP's (e.g. {@code a</w>} = 320,
 * {@code ,</w>} = 267). The 13 merges, in rank order, and their ids:
 * <pre>
 *  rank id   merge          rank id   merge
 *  0    512  c a            7    519  hell o&lt;/w&gt;
 *  1    513  ca t&lt;/w&gt;       8    520  ' s&lt;/w&gt;
 *  2    514  d o            9    521  w o
 *  3    515  do g&lt;/w&gt;       10   522  r l
 *  4    516  h e            11   523  wo rl
 *  5    517  l l            12   524  worl d&lt;/w&gt;
 *  6    518  he ll
 * </pre>
 * {@code <|startoftext|>} = 525, {@code <|endoftext|>} = 526.
 */
final class TinyClip {

    static final int BOS = 525;
    static final int EOS = 526;
    /** {@code !} (id 0): SD 2.x's pad token. */
    static final int BANG = 0;
    static final int CAT = 513;
    static final int DOG = 515;
    static final int COMMA = 267;

    private TinyClip() {
    }

    /** The model folder holding {@code tokenizer/vocab.json} and {@code tokenizer/merges.txt} only. */
    static Path modelDir() {
        try {
            return Path.of(TinyClip.class.getResource("tiny-clip").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SD 1.x-like tokenizer: pads with the end token. */
    static ClipTokenizer sd1() {
        return ClipTokenizer.load(modelDir());
    }

    /** A copy of the fixture in {@code dir} whose {@code special_tokens_map.json} sets the pad token to {@code !}. */
    static ClipTokenizer sd2(Path dir) throws IOException {
        Path tokenizer = Files.createDirectories(dir.resolve("tokenizer"));
        for (String name : new String[] {"vocab.json", "merges.txt"}) {
            Files.copy(modelDir().resolve("tokenizer").resolve(name), tokenizer.resolve(name));
        }
        Files.writeString(tokenizer.resolve("special_tokens_map.json"), """
                {"bos_token": {"content": "<|startoftext|>", "lstrip": false},
                 "eos_token": "<|endoftext|>",
                 "pad_token": "!",
                 "unk_token": "<|endoftext|>"}
                """);
        Files.writeString(tokenizer.resolve("tokenizer_config.json"), """
                {"model_max_length": 77, "pad_token": {"content": "!", "normalized": false}}
                """);
        return ClipTokenizer.load(dir);
    }
}
