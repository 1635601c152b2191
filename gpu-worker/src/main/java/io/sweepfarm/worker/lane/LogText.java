package io.sweepfarm.worker.lane;

/**
 * Makes text from outside (exception messages that may quote a task's content, S3 or Kafka answers) fit for a log
 * line or a result: control characters escaped, so no line can be forged, and the length bounded.
 */
final class LogText {

    /** Longest text kept by {@link #safe(String)}. */
    static final int MAX = 300;

    private LogText() {
    }

    static String safe(String text) {
        return bounded(text, MAX);
    }

    /** {@code text} with control characters escaped, cut to at most {@code max} characters with an ellipsis. */
    static String bounded(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 8);
        int i = 0;
        for (; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append('\ufffd'); // a lone surrogate
            } else {
                b.append(c);
            }
        }
        if (i < text.length() || b.length() > max) {
            int cut = Math.min(b.length(), max - 1);
            if (cut > 0 && Character.isHighSurrogate(b.charAt(cut - 1))) {
                cut--;
            }
            b.setLength(cut);
            b.append('\u2026');
        }
        return b.toString();
    }
}
