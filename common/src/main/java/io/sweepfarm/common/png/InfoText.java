package io.sweepfarm.common.png;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.sampler.SamplerId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AUTOMATIC1111's "infotext", the de-facto format of the PNG {@code parameters} chunk, which A1111, SwarmUI,
 * InvokeAI's importer and civitai read:
 *
 * <pre>
 * a red fox in the snow
 * Negative prompt: blurry
 * Steps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x512, Model: sd15, RNG: CPU
 * </pre>
 *
 * The negative-prompt line is left out when it is empty, as A1111 does. Values holding a comma, colon, quote or line
 * break are JSON-quoted. {@code RNG: CPU} is A1111's marker for noise drawn with torch's CPU generator, which is what
 * our {@code torch_cpu} source reproduces.
 *
 * <p><b>Prompts cannot forge parameters.</b> A1111 writes prompts raw and its reader
 * ({@code parse_generation_parameters} in {@code modules/infotext_utils.py}) splits the text on line breaks, takes
 * every line that starts with {@code Negative prompt:} as the start of the negative prompt and the last line as the
 * parameters. A prompt holding a line break followed by {@code Negative prompt: …} or {@code Steps: 999, …} would
 * therefore be read back as other parameters than those used. So the prompts are written with every line break
 * folded to a space, and a prompt that itself begins with {@code Negative prompt:} is written with that label in
 * lower case. Neither changes what the model sees: CLIP's tokenizer folds every run of whitespace to one space and
 * lower-cases the text before it splits it, so the infotext reads back, in A1111 and in {@link #parse}, as exactly
 * the prompts and parameters that were rendered. The prompts as submitted, line breaks included, stay in the
 * database and the API.
 * {@code RNG: NV} marks A1111's Philox imitation of NVIDIA's generator, our {@code nv} source.
 */
public final class InfoText {

    private static final String NEGATIVE = "Negative prompt:";
    /** Every character that a line-splitting reader (Python's {@code splitlines}, JavaScript) treats as a break. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u000B\u000C\u001C\u001D\u001E\u0085\u2028\u2029]");
    /** A1111's {@code re_param}: one {@code key: value} of the parameters line, the value possibly JSON-quoted. */
    private static final Pattern PARAM = Pattern.compile("\\s*(\\w[\\w \\-/]+):\\s*(\"(?:\\\\.|[^\\\\\"])+\"|[^,]*)(?:,|$)",
            Pattern.UNICODE_CHARACTER_CLASS);

    private InfoText() {
    }

    public static String format(ImageParameters p) {
        return format(p, Map.of());
    }

    /**
     * As {@link #format(ImageParameters)}, followed by {@code extra} parameters in their order, where A1111 writes its
     * {@code extra_generation_params} (hires fix, refiner, ControlNet units): after the core parameters.
     */
    public static String format(ImageParameters p, Map<String, String> extra) {
        StringBuilder sb = new StringBuilder(promptLine(p.prompt()));
        if (p.negativePrompt() != null && !p.negativePrompt().isEmpty()) {
            sb.append('\n').append(NEGATIVE).append(' ').append(fold(p.negativePrompt()));
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Steps", Integer.toString(p.steps()));
        params.put("Sampler", SamplerId.fromId(p.sampler()).map(SamplerId::displayName).orElse(p.sampler()));
        params.put("CFG scale", number(p.cfgScale()));
        params.put("Seed", Long.toString(p.seed()));
        params.put("Size", p.width() + "x" + p.height());
        params.put("Model", p.model());
        if (p.strength() != null) {
            params.put("Denoising strength", number(p.strength()));
        }
        if ("torch_cpu".equals(p.noiseSource())) {
            params.put("RNG", "CPU");
        } else if ("nv".equals(p.noiseSource())) {
            params.put("RNG", "NV");
        } else if (p.noiseSource() != null) {
            params.put("Noise source", p.noiseSource());
        }
        params.putAll(extra);
        sb.append('\n');
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append(": ").append(quote(e.getValue()));
        }
        return sb.toString();
    }

    /** The prompt on one line, its leading label (if it starts like the negative prompt's line) made harmless. */
    private static String promptLine(String prompt) {
        String line = fold(prompt == null ? "" : prompt);
        int start = 0;
        while (start < line.length() && isSpace(line.charAt(start))) {
            start++;
        }
        if (line.startsWith(NEGATIVE, start)) {
            return line.substring(0, start) + "n" + line.substring(start + 1);
        }
        return line;
    }

    private static String fold(String text) {
        return LINE_BREAK.matcher(text).replaceAll(" ");
    }

    /**
     * Reads an infotext the way A1111's {@code parse_generation_parameters} does: the text is stripped and split on
     * line breaks; the last line holds the parameters if at least three {@code key: value} pairs are found in it;
     * each other line is stripped, and from the first one starting with {@code Negative prompt:} (label removed) on,
     * the lines form the negative prompt, before it the prompt. Quoted values are unquoted; unknown keys are kept.
     */
    public static Parsed parse(String text) {
        String[] split = strip(text).split("\n", -1);
        List<String> lines = new ArrayList<>(List.of(split).subList(0, split.length - 1));
        String last = split[split.length - 1];
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(last);
        while (m.find()) {
            params.put(m.group(1), unquote(m.group(2)));
        }
        if (params.size() < 3) {
            lines.add(last);
            params.clear();
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder negative = new StringBuilder();
        boolean inNegative = false;
        for (String raw : lines) {
            String line = strip(raw);
            if (line.startsWith(NEGATIVE)) {
                inNegative = true;
                line = strip(line.substring(NEGATIVE.length()));
            }
            StringBuilder target = inNegative ? negative : prompt;
            target.append(target.length() == 0 ? "" : "\n").append(line);
        }
        return new Parsed(prompt.toString(), negative.toString(), params);
    }

    /** A parsed infotext. */
    public record Parsed(String prompt, String negativePrompt, Map<String, String> params) {
    }

    /** A number as the infotext prints it, in its shortest decimal form: 7.0 → "7", 7.5 → "7.5". */
    public static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf(':') < 0 && !v.startsWith("\"") && !LINE_BREAK.matcher(v).find()) {
            return v;
        }
        try {
            return Json.MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A1111's {@code unquote}: a quoted value is JSON; one that does not parse stays as it is. */
    private static String unquote(String v) {
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
            return v;
        }
        try {
            return Json.MAPPER.readValue(v, String.class);
        } catch (JsonProcessingException e) {
            return v;
        }
    }

    /** Python's {@code str.strip()}: removes leading and trailing characters that Python considers whitespace. */
    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
