package io.sweepfarm.engine.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer (openai/CLIP {@code clip/simple_tokenizer.py}; HuggingFace
 * {@code CLIPTokenizer}), loaded from a diffusers model folder's {@code tokenizer/} files.
 *
 * <p>{@link #encode(String)} cleans the text ({@link ClipTextCleaner}: ftfy subset, HTML unescape, whitespace
 * collapse, lower-case), splits it with CLIP's pre-tokenization pattern (the two special tokens, the contractions
 * {@code 's 't 're 've 'm 'll 'd}, runs of letters, single digits, runs of other non-space characters), maps each
 * piece's UTF-8 bytes to symbol characters ({@link ByteUnicode}), marks the last symbol with {@code </w>} and merges
 * the adjacent pair of lowest merge rank until none applies. Unknown symbols get the unknown-token id (the end token
 * in CLIP's configuration).
 *
 * <p>Thread-safe: the vocabulary is immutable and the per-tokenizer BPE cache is a concurrent map (bounded; it is
 * cleared when it grows past {@value #CACHE_LIMIT} words), so one instance can serve several worker threads.
 */
public final class ClipTokenizer {

    /** CLIP's start-of-text token. */
    public static final String START_TOKEN = "<|startoftext|>";
    /** CLIP's end-of-text token; SD 1.x also pads with it. */
    public static final String END_TOKEN = "<|endoftext|>";
    /** The merges CLIP keeps from its BPE file ({@code 49152 - 256 - 2}). */
    static final int MAX_MERGES = 49152 - 256 - 2;
    static final int CACHE_LIMIT = 50_000;

    private static final String WORD_END = "</w>";
    private static final Pattern PRE_TOKENIZER = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final Map<String, Integer> mergeRanks;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;
    private final int contextLength;
    private final int commaId;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * A tokenizer over an explicit vocabulary.
     *
     * @param vocab token string to id, as in {@code vocab.json}
     * @param merges merge rules in rank order, each two symbols separated by one space (no {@code #version} line)
     * @param padToken the padding token ({@code <|endoftext|>} for SD 1.x, {@code !} for SD 2.x)
     * @param contextLength the encoder's sequence length including start and end token (77 for CLIP)
     */
    public ClipTokenizer(Map<String, Integer> vocab, List<String> merges, String padToken, int contextLength) {
        if (contextLength < 3) {
            throw new IllegalArgumentException("contextLength must be at least 3, was " + contextLength);
        }
        this.vocab = Map.copyOf(vocab);
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.idToToken = new String[maxId + 1];
        vocab.forEach((token, id) -> idToToken[id] = token);
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            String merge = merges.get(i).strip();
            if (merge.split(" ").length != 2) {
                throw new IllegalArgumentException("merge " + i + " is not two symbols: '" + merge + "'");
            }
            ranks.putIfAbsent(merge, i);
        }
        this.mergeRanks = Map.copyOf(ranks);
        this.bosId = requireId(START_TOKEN);
        this.eosId = requireId(END_TOKEN);
        this.padId = requireId(padToken);
        this.unkId = eosId;
        this.contextLength = contextLength;
        this.commaId = vocab.getOrDefault("," + WORD_END, -1);
    }

    /**
     * Loads {@code tokenizer/vocab.json} and {@code tokenizer/merges.txt} from a diffusers model folder, with the pad
     * token and {@code model_max_length} from {@code tokenizer/tokenizer_config.json} or
     * {@code tokenizer/special_tokens_map.json} when present (defaults: the end token, 77).
     *
     * @throws UncheckedIOException if a required file cannot be read
     */
    public static ClipTokenizer load(Path modelDir) {
        return load(modelDir, "tokenizer");
    }

    /** Loads the tokenizer in {@code modelDir/folder} ({@code tokenizer_2} for SDXL's second encoder). */
    public static ClipTokenizer load(Path modelDir, String folder) {
        Path dir = modelDir.resolve(folder);
        ObjectMapper json = new ObjectMapper();
        try {
            Map<String, Integer> vocab = json.readValue(dir.resolve("vocab.json").toFile(),
                    new TypeReference<Map<String, Integer>>() { });
            List<String> lines = Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8);
            List<String> merges = new ArrayList<>();
            // like CLIP and HuggingFace: the first line is the "#version" header; keep at most MAX_MERGES rules
            for (int i = 1; i < lines.size() && merges.size() < MAX_MERGES; i++) {
                if (!lines.get(i).isBlank()) {
                    merges.add(lines.get(i));
                }
            }
            String padToken = END_TOKEN;
            int contextLength = 77;
            for (String name : List.of("special_tokens_map.json", "tokenizer_config.json")) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    JsonNode node = json.readTree(file.toFile());
                    String pad = tokenContent(node.get("pad_token"));
                    if (pad != null) {
                        padToken = pad;
                    }
                    JsonNode max = node.get("model_max_length");
                    // HF writes a huge sentinel when the length is unknown; keep CLIP's 77 then
                    if (max != null && max.isNumber() && max.asLong() >= 3 && max.asLong() <= 4096) {
                        contextLength = max.asInt();
                    }
                }
            }
            return new ClipTokenizer(vocab, merges, padToken, contextLength);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the CLIP tokenizer from " + dir, e);
        }
    }

    private static String tokenContent(JsonNode token) {
        if (token == null || token.isNull()) {
            return null;
        }
        if (token.isTextual()) {
            return token.asText();
        }
        JsonNode content = token.get("content");
        return content != null && content.isTextual() ? content.asText() : null;
    }

    private int requireId(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the vocabulary has no token '" + token + "'");
        }
        return id;
    }

    /** The token ids of {@code text}, without start or end token and without any length limit. */
    public int[] encode(String text) {
        String cleaned = ClipTextCleaner.clean(text);
        int[] out = new int[Math.max(8, cleaned.length())];
        int n = 0;
        Matcher m = PRE_TOKENIZER.matcher(cleaned);
        while (m.find()) {
            int[] ids = bpeIds(m.group());
            if (n + ids.length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length));
            }
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        return Arrays.copyOf(out, n);
    }

    private int[] bpeIds(String piece) {
        if (piece.equals(START_TOKEN)) {
            return new int[] {bosId};
        }
        if (piece.equals(END_TOKEN)) {
            return new int[] {eosId};
        }
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        List<String> symbols = bpe(piece);
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.getOrDefault(symbols.get(i), unkId);
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, ids);
        return ids;
    }

    /** The BPE symbols of one pre-tokenized piece. */
    List<String> bpe(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<String> word = new ArrayList<>(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            String symbol = String.valueOf(ByteUnicode.encode(bytes[i]));
            word.add(i == bytes.length - 1 ? symbol + WORD_END : symbol);
        }
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer rank = mergeRanks.get(word.get(i) + ' ' + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            // merge every non-overlapping occurrence of (first, second), scanning left to right
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        return word;
    }

    /** Best-effort text for ids (byte-level decode, {@code </w>} as a space); special tokens are kept as written. */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            String token = id >= 0 && id < idToToken.length ? idToToken[id] : null;
            if (token != null) {
                symbols.append(token);
            }
        }
        String s = symbols.toString();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith(WORD_END, i)) {
                bytes.write(' ');
                i += WORD_END.length() - 1;
                continue;
            }
            int b = ByteUnicode.decode(s.charAt(i));
            if (b >= 0) {
                bytes.write(b);
            } else {
                byte[] raw = String.valueOf(s.charAt(i)).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    /** The id of {@value #START_TOKEN}. */
    public int bosId() {
        return bosId;
    }

    /** The id of {@value #END_TOKEN}. */
    public int eosId() {
        return eosId;
    }

    /** The id padding uses after the end token (the end token for SD 1.x, {@code !} for SD 2.x). */
    public int padId() {
        return padId;
    }

    /** The id of {@code ,</w>} (A1111 splits long prompts after commas), or -1 if the vocabulary lacks it. */
    public int commaId() {
        return commaId;
    }

    /** The encoder's sequence length including start and end token: 77 for CLIP. */
    public int contextLength() {
        return contextLength;
    }

    /** The number of entries in the vocabulary. */
    public int vocabSize() {
        return vocab.size();
    }
}
