package io.sweepfarm.engine.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns a prompt with A1111 emphasis syntax into text-encoder input ({@link TokenizedPrompt}).
 *
 * <p>The prompt is split by {@link PromptAttentionParser}; each fragment is tokenized on its own by
 * {@link ClipTokenizer} (so words never join across a bracket) and every token carries its fragment's weight.
 * Then, per {@link PromptOverflow}:
 * <ul>
 *   <li>{@code TRUNCATE}: the first 75 tokens form one row, and a warning reports the dropped tokens;</li>
 *   <li>{@code CHUNK}: as {@code tokenize_line} in AUTOMATIC1111/stable-diffusion-webui
 *       {@code modules/sd_hijack_clip.py}: rows of 75 tokens; when a row is full and the last comma in it lies
 *       within the last {@code commaBacktrack} (default 20) positions, the tokens after that comma move to the next
 *       row; {@code BREAK} ends the current row.</li>
 * </ul>
 * Each row is {@code BOS, tokens, EOS, PAD...} with weight 1.0 outside the prompt tokens. The conditional and
 * unconditional prompts of one image must have the same number of rows: use {@link #tokenizeAll(List, PromptOverflow)}
 * or {@link #padToChunks(TokenizedPrompt, int)}, which appends empty rows ({@code BOS, EOS, PAD...}) like A1111.
 *
 * <p>Thread-safe (the {@link ClipTokenizer} is).
 */
public final class PromptTokenizer {

    /** A1111's default for {@code comma_padding_backtrack}. */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;

    private final ClipTokenizer clip;
    private final int chunkLength;
    private final int commaBacktrack;

    /** A prompt tokenizer with A1111's default comma backtrack of 20 tokens. */
    public PromptTokenizer(ClipTokenizer clip) {
        this(clip, DEFAULT_COMMA_BACKTRACK);
    }

    /**
     * @param clip the BPE tokenizer of the model
     * @param commaBacktrack how close to a row's end a comma must be to move the words after it to the next row;
     *                       0 disables the rule
     */
    public PromptTokenizer(ClipTokenizer clip, int commaBacktrack) {
        this.clip = Objects.requireNonNull(clip);
        this.chunkLength = clip.contextLength() - 2;
        if (commaBacktrack < 0) {
            throw new IllegalArgumentException("commaBacktrack must be >= 0");
        }
        this.commaBacktrack = commaBacktrack;
    }

    /** The tokenizer this works with. */
    public ClipTokenizer clip() {
        return clip;
    }

    /** The rows for one prompt. */
    public TokenizedPrompt tokenize(String prompt, PromptOverflow mode) {
        List<PromptFragment> fragments = PromptAttentionParser.parse(prompt);
        return switch (mode) {
            case TRUNCATE -> truncate(fragments);
            case CHUNK -> chunk(fragments);
        };
    }

    /** The rows for several prompts (e.g. conditional and unconditional), all padded to the same number of rows. */
    public List<TokenizedPrompt> tokenizeAll(List<String> prompts, PromptOverflow mode) {
        List<TokenizedPrompt> out = new ArrayList<>(prompts.size());
        int chunks = 1;
        for (String prompt : prompts) {
            TokenizedPrompt t = tokenize(prompt, mode);
            chunks = Math.max(chunks, t.chunks());
            out.add(t);
        }
        final int target = chunks;
        return out.stream().map(t -> padToChunks(t, target)).toList();
    }

    /**
     * {@code prompt} with empty rows ({@code BOS, EOS, PAD...}, weights 1.0) appended up to {@code chunks} rows.
     *
     * @throws IllegalArgumentException if the prompt already has more rows
     */
    public TokenizedPrompt padToChunks(TokenizedPrompt prompt, int chunks) {
        if (prompt.chunks() == chunks) {
            return prompt;
        }
        if (prompt.chunks() > chunks) {
            throw new IllegalArgumentException("prompt has " + prompt.chunks() + " chunks, more than " + chunks);
        }
        Rows rows = new Rows();
        for (int c = 0; c < prompt.chunks(); c++) {
            rows.addRaw(prompt.chunkIds(c), prompt.chunkWeights(c));
        }
        while (rows.count < chunks) {
            rows.add(new int[0], new double[0], 0);
        }
        return rows.build(prompt.tokenCount(), prompt.warnings());
    }

    private TokenizedPrompt truncate(List<PromptFragment> fragments) {
        List<String> warnings = new ArrayList<>();
        TokenList all = new TokenList();
        boolean sawBreak = false;
        for (PromptFragment fragment : fragments) {
            if (fragment.isBreak()) {
                sawBreak = true;
                continue;
            }
            all.addAll(clip.encode(fragment.text()), fragment.weight());
        }
        if (sawBreak) {
            warnings.add("BREAK is ignored when long prompts are truncated");
        }
        int kept = Math.min(all.size, chunkLength);
        if (all.size > chunkLength) {
            int dropped = all.size - chunkLength;
            String droppedText = clip.decode(Arrays.copyOfRange(all.ids, chunkLength, all.size));
            warnings.add("Prompt truncated: " + dropped + " of " + all.size + " tokens dropped (limit "
                    + chunkLength + "): " + droppedText);
        }
        Rows rows = new Rows();
        rows.add(all.ids, all.weights, kept);
        return rows.build(kept, warnings);
    }

    private TokenizedPrompt chunk(List<PromptFragment> fragments) {
        Rows rows = new Rows();
        TokenList current = new TokenList();
        int total = 0;
        int lastComma = -1;
        for (PromptFragment fragment : fragments) {
            if (fragment.isBreak()) {
                rows.add(current.ids, current.weights, current.size);
                total += current.size;
                current = new TokenList();
                lastComma = -1;
                continue;
            }
            for (int token : clip.encode(fragment.text())) {
                if (token == clip.commaId()) {
                    lastComma = current.size;
                } else if (commaBacktrack != 0 && current.size == chunkLength && lastComma != -1
                        && current.size - lastComma <= commaBacktrack) {
                    int split = lastComma + 1;
                    TokenList moved = current.tail(split);
                    rows.add(current.ids, current.weights, split);
                    total += split;
                    current = moved;
                    lastComma = -1;
                }
                if (current.size == chunkLength) {
                    rows.add(current.ids, current.weights, current.size);
                    total += current.size;
                    current = new TokenList();
                    lastComma = -1;
                }
                current.add(token, fragment.weight());
            }
        }
        if (current.size > 0 || rows.count == 0) {
            rows.add(current.ids, current.weights, current.size);
            total += current.size;
        }
        return rows.build(total, List.of());
    }

    /** A growable list of tokens with weights. */
    private static final class TokenList {
        int[] ids = new int[16];
        double[] weights = new double[16];
        int size;

        void add(int id, double weight) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            ids[size] = id;
            weights[size++] = weight;
        }

        void addAll(int[] tokens, double weight) {
            for (int t : tokens) {
                add(t, weight);
            }
        }

        TokenList tail(int from) {
            TokenList t = new TokenList();
            for (int i = from; i < size; i++) {
                t.add(ids[i], weights[i]);
            }
            return t;
        }
    }

    /** Accumulates 77-wide rows. */
    private final class Rows {
        private final int width = chunkLength + 2;
        private int[] ids = new int[0];
        private float[] weights = new float[0];
        private int count;

        /** Appends {@code BOS, tokens[0, n), EOS, PAD...}. */
        void add(int[] tokens, double[] tokenWeights, int n) {
            int[] rowIds = new int[width];
            float[] rowWeights = new float[width];
            Arrays.fill(rowIds, clip.padId());
            Arrays.fill(rowWeights, 1.0f);
            rowIds[0] = clip.bosId();
            for (int i = 0; i < n; i++) {
                rowIds[1 + i] = tokens[i];
                rowWeights[1 + i] = (float) tokenWeights[i];
            }
            rowIds[1 + n] = clip.eosId();
            addRaw(rowIds, rowWeights);
        }

        void addRaw(int[] rowIds, float[] rowWeights) {
            ids = Arrays.copyOf(ids, (count + 1) * width);
            weights = Arrays.copyOf(weights, (count + 1) * width);
            System.arraycopy(rowIds, 0, ids, count * width, width);
            System.arraycopy(rowWeights, 0, weights, count * width, width);
            count++;
        }

        TokenizedPrompt build(int tokenCount, List<String> warnings) {
            return new TokenizedPrompt(count, width, ids, weights, tokenCount, warnings);
        }
    }
}
