package io.sweepfarm.devstack.modelgen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small byte-level BPE vocabulary in the layout of CLIP's tokenizer files: the 256 byte characters
 * (GPT-2's bytes-to-unicode table, in its order), the same 256 with {@code </w>}, one token per merge,
 * then {@code <|startoftext|>} and {@code <|endoftext|>}. The merges are learnt deterministically by
 * plain BPE on a fixed list of prompt words, so common words tokenize to one or a few tokens.
 */
public final class ClipVocabulary {

    public static final String START = "<|startoftext|>";
    public static final String END = "<|endoftext|>";
    /** First line of CLIP's merges.txt; tokenizers skip it. */
    public static final String MERGES_HEADER = "#version: 0.2";

    private static final String CORPUS = """
            a photo of an astronaut riding a horse on mars the cat dog sitting in garden at sunset
            portrait painting landscape mountain lake forest city night street rain snow winter summer
            beautiful detailed highly digital art oil watercolor sketch cinematic lighting studio
            red green blue yellow orange purple black white golden silver bright dark soft sharp
            castle dragon robot spaceship ocean beach river tree flower sky cloud sun moon star
            woman man child old young smiling happy sad warrior knight wizard princess king queen
            by with and for from under over into very small large tiny giant ancient modern future
            trending artstation concept illustration render octane unreal engine realistic photograph
            """;

    private final List<String> tokens;
    private final List<String[]> merges;

    private ClipVocabulary(List<String> tokens, List<String[]> merges) {
        this.tokens = tokens;
        this.merges = merges;
    }

    /** Learns up to {@code maxMerges} merges (a few hundred is all the corpus yields). */
    public static ClipVocabulary build(int maxMerges) {
        List<String> byteChars = bytesToUnicodeOrder();
        List<String> tokens = new ArrayList<>(byteChars);
        for (String c : byteChars) {
            tokens.add(c + "</w>");
        }
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        for (String w : CORPUS.trim().split("\\s+")) {
            wordCounts.merge(w, 1, Integer::sum);
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((w, n) -> {
            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < w.length(); i++) {
                symbols.add(i == w.length() - 1 ? w.charAt(i) + "</w>" : String.valueOf(w.charAt(i)));
            }
            words.add(symbols);
            counts.add(n);
        });
        List<String[]> merges = new ArrayList<>();
        java.util.Set<String> known = new java.util.HashSet<>(tokens);
        while (merges.size() < maxMerges) {
            Map<String, Integer> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairCounts.merge(s.get(i) + " " + s.get(i + 1), counts.get(w), Integer::sum);
                }
            }
            if (pairCounts.isEmpty()) {
                break;
            }
            String best = Collections.max(pairCounts.entrySet(), (a, b) -> a.getValue().equals(b.getValue())
                    ? b.getKey().compareTo(a.getKey()) : Integer.compare(a.getValue(), b.getValue())).getKey();
            String[] pair = best.split(" ");
            merges.add(pair);
            String joined = pair[0] + pair[1];
            if (known.add(joined)) {
                tokens.add(joined);
            }
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(pair[0]) && s.get(i + 1).equals(pair[1])) {
                        s.set(i, joined);
                        s.remove(i + 1);
                    }
                }
            }
        }
        tokens.add(START);
        tokens.add(END);
        return new ClipVocabulary(List.copyOf(tokens), List.copyOf(merges));
    }

    /** Tokens in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** Merges in rank order, each a pair of tokens. */
    public List<String[]> merges() {
        return merges;
    }

    public int size() {
        return tokens.size();
    }

    /** vocab.json content: token to id, in id order. */
    public Map<String, Integer> vocab() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        return vocab;
    }

    /** merges.txt content: header line, then one "a b" line per merge. */
    public String mergesText() {
        StringBuilder sb = new StringBuilder(MERGES_HEADER).append('\n');
        for (String[] m : merges) {
            sb.append(m[0]).append(' ').append(m[1]).append('\n');
        }
        return sb.toString();
    }

    /**
     * GPT-2/CLIP byte-to-unicode mapping, as characters in table order: the printable bytes
     * ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves, then the other bytes in ascending order map
     * to U+0100, U+0101, ...
     */
    public static List<String> bytesToUnicodeOrder() {
        List<String> chars = new ArrayList<>(256);
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                chars.add(String.valueOf((char) b));
            }
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                chars.add(String.valueOf((char) (256 + n++)));
            }
        }
        return chars;
    }
}
