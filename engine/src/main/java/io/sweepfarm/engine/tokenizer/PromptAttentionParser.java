package io.sweepfarm.engine.tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AUTOMATIC1111's prompt emphasis syntax, with the behaviour of {@code parse_prompt_attention} in
 * AUTOMATIC1111/stable-diffusion-webui {@code modules/prompt_parser.py}:
 * <ul>
 *   <li>{@code (text)} multiplies the weight of {@code text} by 1.1, {@code [text]} by 1/1.1, {@code (text:1.3)}
 *       by 1.3 (whitespace around the number allowed); brackets nest and their multipliers multiply;</li>
 *   <li>{@code \(}, {@code \)}, {@code \[}, {@code \]} and {@code \\} are literal characters; a lone backslash is
 *       dropped;</li>
 *   <li>a closing bracket with no matching opener, and a {@code :} outside {@code (text:number)}, are literal text;
 *       brackets still open at the end apply to everything after them;</li>
 *   <li>the word {@code BREAK} (upper case, with the whitespace around it) becomes a {@link PromptFragment#BREAK};</li>
 *   <li>neighbouring fragments with exactly equal weights are merged; an empty prompt gives one empty fragment.</li>
 * </ul>
 * Differences: a weight that is not a number (e.g. {@code (a:1.2.3)}) is kept as literal text where A1111 fails,
 * and two adjacent breaks stay two breaks. Prompt editing ({@code [a:b:0.5]}) and alternation ({@code [a|b]}) are
 * not interpreted here; their characters go through the rules above. Stateless and thread-safe.
 */
public final class PromptAttentionParser {

    static final double ROUND_MULTIPLIER = 1.1;
    static final double SQUARE_MULTIPLIER = 1 / 1.1;

    private static final Pattern ATTENTION = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:\\s*([+-]?[.\\d]+)\\s*\\)|\\)|]|[^\\\\()\\[\\]:]+|:");
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*", Pattern.DOTALL);

    private PromptAttentionParser() {
    }

    /** The prompt's fragments in order; never empty. */
    public static List<PromptFragment> parse(String prompt) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Boolean> breaks = new ArrayList<>();
        Deque<Integer> round = new ArrayDeque<>();
        Deque<Integer> square = new ArrayDeque<>();

        Matcher m = ATTENTION.matcher(prompt);
        while (m.find()) {
            String token = m.group();
            String weightText = m.group(1);
            Double weight = weightText == null ? null : parseWeight(weightText);
            if (token.startsWith("\\")) {
                add(texts, weights, breaks, token.substring(1));
            } else if (token.equals("(")) {
                round.push(texts.size());
            } else if (token.equals("[")) {
                square.push(texts.size());
            } else if (weight != null && !round.isEmpty()) {
                multiply(weights, round.pop(), weight);
            } else if (token.equals(")") && !round.isEmpty()) {
                multiply(weights, round.pop(), ROUND_MULTIPLIER);
            } else if (token.equals("]") && !square.isEmpty()) {
                multiply(weights, square.pop(), SQUARE_MULTIPLIER);
            } else {
                String[] parts = BREAK.split(token, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        texts.add(PromptFragment.BREAK.text());
                        weights.add(PromptFragment.BREAK.weight());
                        breaks.add(true);
                    }
                    add(texts, weights, breaks, parts[i]);
                }
            }
        }
        // unclosed brackets: A1111 applies them in stack order from the bottom (order does not change products)
        for (int start : round) {
            multiply(weights, start, ROUND_MULTIPLIER);
        }
        for (int start : square) {
            multiply(weights, start, SQUARE_MULTIPLIER);
        }
        return merge(texts, weights, breaks);
    }

    private static Double parseWeight(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void add(List<String> texts, List<Double> weights, List<Boolean> breaks, String text) {
        texts.add(text);
        weights.add(1.0);
        breaks.add(false);
    }

    private static void multiply(List<Double> weights, int from, double multiplier) {
        for (int i = from; i < weights.size(); i++) {
            weights.set(i, weights.get(i) * multiplier);
        }
    }

    private static List<PromptFragment> merge(List<String> texts, List<Double> weights, List<Boolean> breaks) {
        List<PromptFragment> out = new ArrayList<>();
        StringBuilder run = null;
        double runWeight = 0;
        for (int i = 0; i < texts.size(); i++) {
            if (breaks.get(i)) {
                if (run != null) {
                    out.add(PromptFragment.of(run.toString(), runWeight));
                    run = null;
                }
                out.add(PromptFragment.BREAK);
            } else if (run != null && weights.get(i) == runWeight) {
                run.append(texts.get(i));
            } else {
                if (run != null) {
                    out.add(PromptFragment.of(run.toString(), runWeight));
                }
                run = new StringBuilder(texts.get(i));
                runWeight = weights.get(i);
            }
        }
        if (run != null) {
            out.add(PromptFragment.of(run.toString(), runWeight));
        }
        if (out.isEmpty()) {
            out.add(PromptFragment.of("", 1.0));
        }
        return List.copyOf(out);
    }
}
