package io.sweepfarm.engine.tokenizer;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's text cleanup before pre-tokenization, in pure Java.
 *
 * <p>The reference ({@code basic_clean} + {@code whitespace_clean} + {@code lower()} in openai/CLIP
 * {@code clip/simple_tokenizer.py}) runs {@code ftfy.fix_text}, then {@code html.unescape} twice, collapses runs
 * of whitespace to one space, strips, and lower-cases. ftfy is not available in Java; we cover the parts of its
 * default configuration that matter for typed prompts:
 * <ul>
 *   <li>covered: NFC normalization; curly quotes to straight quotes (so {@code it’s} splits like {@code it's});
 *       the Latin ligatures U+FB00..U+FB06; full-width ASCII forms U+FF01..U+FF5E and U+3000 to ASCII;
 *       HTML character references (decimal and hex, and the common named entities such as {@code &amp;},
 *       {@code &lt;}, {@code &gt;}, {@code &quot;}, {@code &apos;}, {@code &nbsp;}), applied twice like CLIP;</li>
 *   <li>not covered: ftfy's mojibake repair ({@code fix_encoding}), C1-control and terminal-escape removal, and the
 *       less common named HTML5 entities (they stay literal text).</li>
 * </ul>
 * HuggingFace's {@code CLIPTokenizer} (what diffusers and A1111 use for SD 1.x) runs ftfy but no explicit HTML
 * unescape; ftfy's own default unescapes HTML too, so prompts with entities agree either way. Thread-safe.
 */
final class ClipTextCleaner {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)");
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", "\u00a0"), Map.entry("copy", "\u00a9"),
            Map.entry("reg", "\u00ae"), Map.entry("trade", "\u2122"), Map.entry("hellip", "\u2026"),
            Map.entry("mdash", "\u2014"), Map.entry("ndash", "\u2013"), Map.entry("lsquo", "\u2018"),
            Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201c"), Map.entry("rdquo", "\u201d"),
            Map.entry("laquo", "\u00ab"), Map.entry("raquo", "\u00bb"), Map.entry("deg", "\u00b0"),
            Map.entry("times", "\u00d7"), Map.entry("middot", "\u00b7"), Map.entry("eacute", "\u00e9"));

    private ClipTextCleaner() {
    }

    /** The cleaned, lower-cased text that CLIP's pre-tokenizer splits. */
    static String clean(String text) {
        String t = fixText(text);
        t = unescapeHtml(unescapeHtml(t));
        t = WHITESPACE.matcher(t).replaceAll(" ").strip();
        return t.toLowerCase(Locale.ROOT);
    }

    /** The covered subset of {@code ftfy.fix_text}. */
    static String fixText(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = fixChar(c);
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        String fixed = sb == null ? text : sb.toString();
        return Normalizer.normalize(fixed, Normalizer.Form.NFC);
    }

    private static String fixChar(char c) {
        switch (c) {
            case '\u2018': case '\u2019': case '\u201a': case '\u201b':
                return "'";
            case '\u201c': case '\u201d': case '\u201e': case '\u201f':
                return "\"";
            case '\ufb00': return "ff";
            case '\ufb01': return "fi";
            case '\ufb02': return "fl";
            case '\ufb03': return "ffi";
            case '\ufb04': return "ffl";
            case '\ufb05': case '\ufb06':
                return "st";
            case '\u3000': return " ";
            default:
                if (c >= '\uff01' && c <= '\uff5e') {
                    return String.valueOf((char) (c - 0xff01 + '!'));
                }
                return null;
        }
    }

    /** Python's {@code html.unescape} for numeric references and the entities in {@link #NAMED}. */
    static String unescapeHtml(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(resolve(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String resolve(String ref) {
        String body = ref.endsWith(";") ? ref.substring(0, ref.length() - 1) : ref;
        if (body.startsWith("#")) {
            boolean hex = body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X');
            String digits = body.substring(hex ? 2 : 1);
            int cp;
            try {
                long v = Long.parseLong(digits.length() > 8 ? "99999999" : digits, hex ? 16 : 10);
                cp = v > Character.MAX_CODE_POINT ? 0xFFFD : (int) v;
            } catch (NumberFormatException e) {
                return "&" + ref;
            }
            if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                cp = 0xFFFD;
            }
            return new String(Character.toChars(cp));
        }
        String named = NAMED.get(body);
        return named != null ? named : "&" + ref;
    }
}
