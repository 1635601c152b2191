package io.sweepfarm.coordinator.ui;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AUTOMATIC1111's X/Y/Z-plot value syntax, as the sweep form accepts it: comma-separated items, each a number or a
 * range.
 *
 * <ul>
 * <li>{@code 1-5}: every value from 1 to 5 in steps of 1 ({@code 1, 2, 3, 4, 5});</li>
 * <li>{@code 3-12 (+1.5)}: from 3 in steps of 1.5 up to 12 ({@code 3, 4.5, …, 12}); a negative step counts down
 * ({@code 10-1 (-3)});</li>
 * <li>{@code 1-10 [5]}: 5 values evenly spaced from 1 to 10, both included (rounded down for integers, as A1111
 * does: {@code 1, 3, 5, 7, 10}).</li>
 * </ul>
 *
 * Unlike A1111, a step range never goes past its end. Decimal arithmetic keeps {@code 0.1-0.3 (+0.1)} at
 * {@code 0.1, 0.2, 0.3}. Ranges are bounded ({@link #MAX_VALUES}) so a typo cannot expand to millions of values.
 * Pure: unit-tested.
 */
public final class RangeSyntax {

    /** The most values one field may expand to. */
    public static final int MAX_VALUES = 100_000;

    private static final String NUMBER = "[+-]?\\s*\\d+(?:\\.\\d*)?|[+-]?\\s*\\.\\d+";
    private static final Pattern STEP = Pattern.compile(
            "\\s*(" + NUMBER + ")\\s*-\\s*(" + NUMBER + ")\\s*\\(\\s*([+-]\\s*(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*\\)\\s*");
    private static final Pattern COUNT = Pattern.compile(
            "\\s*(" + NUMBER + ")\\s*-\\s*(" + NUMBER + ")\\s*\\[\\s*(\\d+)\\s*\\]\\s*");
    private static final Pattern PLAIN = Pattern.compile("\\s*(" + NUMBER + ")\\s*-\\s*(" + NUMBER + ")\\s*");
    private static final Pattern SINGLE = Pattern.compile("\\s*(" + NUMBER + ")\\s*");

    private RangeSyntax() {
    }

    /** A field's text that is not valid range syntax; the message says which item and why. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message, null);
        }
    }

    /** Expands decimal items ({@code cfg_scales}, {@code strengths}). */
    public static List<Double> decimals(String text) {
        List<Double> out = new ArrayList<>();
        for (BigDecimal v : expand(text, false)) {
            out.add(v.doubleValue());
        }
        return out;
    }

    /** Expands integer items ({@code steps}); a fraction is refused. */
    public static List<Integer> integers(String text) {
        List<Integer> out = new ArrayList<>();
        for (BigDecimal v : expand(text, true)) {
            try {
                out.add(v.intValueExact());
            } catch (ArithmeticException e) {
                throw new Invalid("'" + v.toPlainString() + "' is too large");
            }
        }
        return out;
    }

    /** Expands whole numbers that may exceed an int ({@code seeds}). */
    public static List<Long> longs(String text) {
        List<Long> out = new ArrayList<>();
        for (BigDecimal v : expand(text, true)) {
            try {
                out.add(v.longValueExact());
            } catch (ArithmeticException e) {
                throw new Invalid("'" + v.toPlainString() + "' is too large");
            }
        }
        return out;
    }

    /**
     * The one range {@code a-b} the text consists of, as {@code [a, b]}, when it is exactly one plain range of whole
     * numbers (so a seed field {@code 1000-1999} can be sent as a range that is never materialised); else null.
     */
    public static long[] singlePlainRange(String text) {
        Matcher m = PLAIN.matcher(text);
        if (!m.matches()) {
            return null;
        }
        BigDecimal a = number(m.group(1));
        BigDecimal b = number(m.group(2));
        if (a.scale() > 0 || b.scale() > 0 || a.compareTo(b) > 0) {
            return null;
        }
        try {
            return new long[] {a.longValueExact(), b.longValueExact()};
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static List<BigDecimal> expand(String text, boolean integer) {
        List<BigDecimal> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : text.split(",", -1)) {
            if (item.isBlank()) {
                throw new Invalid("has an empty item between commas");
            }
            expandItem(item, integer, out);
            if (out.size() > MAX_VALUES) {
                throw new Invalid("expands to more than " + MAX_VALUES + " values");
            }
        }
        return out;
    }

    private static void expandItem(String item, boolean integer, List<BigDecimal> out) {
        Matcher m;
        if ((m = SINGLE.matcher(item)).matches()) {
            out.add(whole(number(m.group(1)), integer, item));
        } else if ((m = STEP.matcher(item)).matches()) {
            step(whole(number(m.group(1)), integer, item), whole(number(m.group(2)), integer, item),
                    whole(number(m.group(3)), integer, item), item, out);
        } else if ((m = COUNT.matcher(item)).matches()) {
            count(number(m.group(1)), number(m.group(2)), Integer.parseInt(m.group(3)), integer, item, out);
        } else if ((m = PLAIN.matcher(item)).matches()) {
            BigDecimal a = whole(number(m.group(1)), integer, item);
            BigDecimal b = whole(number(m.group(2)), integer, item);
            step(a, b, a.compareTo(b) <= 0 ? BigDecimal.ONE : BigDecimal.ONE.negate(), item, out);
        } else {
            throw new Invalid("'" + item.strip() + "' is not a number or a range (e.g. 7.5, 1-5, 3-12 (+1.5), "
                    + "1-10 [5])");
        }
    }

    private static void step(BigDecimal from, BigDecimal to, BigDecimal step, String item, List<BigDecimal> out) {
        if (step.signum() == 0) {
            throw new Invalid("'" + item.strip() + "' has a step of 0");
        }
        if (from.compareTo(to) != 0 && (to.compareTo(from) > 0) != (step.signum() > 0)) {
            throw new Invalid("'" + item.strip() + "' steps away from its end; use a "
                    + (step.signum() > 0 ? "negative" : "positive") + " step");
        }
        BigDecimal n = to.subtract(from).divide(step, 0, RoundingMode.DOWN);
        if (n.compareTo(BigDecimal.valueOf(MAX_VALUES)) >= 0) {
            throw new Invalid("'" + item.strip() + "' expands to more than " + MAX_VALUES + " values");
        }
        for (int i = 0; i <= n.intValue(); i++) {
            out.add(from.add(step.multiply(BigDecimal.valueOf(i))).stripTrailingZeros());
        }
    }

    private static void count(BigDecimal from, BigDecimal to, int n, boolean integer, String item,
            List<BigDecimal> out) {
        if (n < 1 || n > MAX_VALUES) {
            throw new Invalid("'" + item.strip() + "' asks for " + n + " values; use 1 to " + MAX_VALUES);
        }
        if (n == 1) {
            out.add(integer ? truncated(from) : from.stripTrailingZeros());
            return;
        }
        BigDecimal span = to.subtract(from);
        for (int i = 0; i < n; i++) {
            BigDecimal v = i == n - 1 ? to
                    : from.add(span.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n - 1),
                            MathContext.DECIMAL64));
            // Twelve decimals: evenly spaced values are shown as people write them (0.3, not 0.30000000000000004).
            out.add(integer ? truncated(v) : v.setScale(Math.min(v.scale(), 12), RoundingMode.HALF_EVEN)
                    .stripTrailingZeros());
        }
    }

    private static BigDecimal truncated(BigDecimal v) {
        return v.setScale(0, RoundingMode.DOWN);
    }

    private static BigDecimal whole(BigDecimal v, boolean integer, String item) {
        if (integer && v.stripTrailingZeros().scale() > 0) {
            throw new Invalid("'" + item.strip() + "' needs whole numbers");
        }
        return integer ? v.setScale(0, RoundingMode.UNNECESSARY) : v;
    }

    private static BigDecimal number(String raw) {
        String s = raw.replaceAll("\\s+", "");
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        return new BigDecimal(s);
    }
}
