package io.sweepfarm.common.png;

import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.sampler.SamplerId;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
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
 * The negative-prompt line is left out when it is empty, as A1111 does. Values holding a comma, colon or newline are
 * JSON-quoted. {@code RNG: CPU} is A1111's marker for noise drawn with torch's CPU generator, which is what our
 * {@code torch_cpu} source reproduces; {@code RNG: NV} marks A1111's Philox imitation of NVIDIA's generator, our
 * {@code nv} source.
 */
public final class InfoText {

    private static final String NEGATIVE = "Negative prompt: ";
    private static final Pattern PARAM = Pattern.compile("\\s*([\\w ./-]+):\\s*(\"(?:\\\\.|[^\\\\\"])*\"|[^,]*)(?:,|$)");

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
        StringBuilder sb = new StringBuilder(p.prompt() == null ? "" : p.prompt());
        if (p.negativePrompt() != null && !p.negativePrompt().isEmpty()) {
            sb.append('\n').append(NEGATIVE).append(p.negativePrompt());
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

    /**
     * Splits an infotext into prompt, negative prompt and the key/value parameters of its last line.
     * Unknown keys are kept; quoted values are unquoted.
     */
    public static Parsed parse(String text) {
        String[] lines = text.split("\n", -1);
        String last = lines[lines.length - 1];
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(last);
        int consumed = 0;
        while (m.find() && m.start() == consumed && m.end() > m.start()) {
            params.put(m.group(1).trim(), unquote(m.group(2).trim()));
            consumed = m.end();
        }
        int promptLines = lines.length;
        if (!params.isEmpty() && consumed >= last.trim().length()) {
            promptLines = lines.length - 1;
        } else {
            params.clear();
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder negative = new StringBuilder();
        boolean inNegative = false;
        for (int i = 0; i < promptLines; i++) {
            String line = lines[i];
            if (!inNegative && line.startsWith(NEGATIVE)) {
                inNegative = true;
                negative.append(line.substring(NEGATIVE.length()));
            } else if (inNegative) {
                negative.append('\n').append(line);
            } else {
                prompt.append(prompt.length() == 0 && i == 0 ? "" : "\n").append(line);
            }
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
        if (v.indexOf(',') < 0 && v.indexOf('\n') < 0 && v.indexOf(':') < 0 && !v.startsWith("\"")) {
            return v;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String unquote(String v) {
        if (v.length() < 2 || !v.startsWith("\"") || !v.endsWith("\"")) {
            return v;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1) {
                char n = v.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
