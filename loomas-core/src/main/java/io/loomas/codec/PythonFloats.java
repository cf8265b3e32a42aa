package io.loomas.codec;

import java.math.BigDecimal;

/**
 * The text Python's {@code repr(float)} gives a double, which is what {@code json.dumps} writes:
 * the shortest digits that read back as the same double, in fixed notation for decimal exponents
 * from -4 to 16 ({@code 0.0001}, {@code 100.0}) and scientific notation otherwise
 * ({@code 1e-05}, {@code 1e+16}, {@code 1.5e+300}).
 *
 * <p>Thread-safe (stateless).
 */
final class PythonFloats {

    private PythonFloats() {
    }

    /** {@return the Python repr of {@code value}, with {@code NaN}, {@code Infinity} and {@code -Infinity} bare} */
    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return Double.doubleToRawLongBits(value) == 0 ? "0.0" : "-0.0";
        }
        double magnitude = Math.abs(value);
        // Double.toString gives the shortest round-tripping digits (JDK 19+), except that it may
        // prefer two digits to one when two are closer (4.9E-324); Python always takes the shortest.
        BigDecimal shortest = new BigDecimal(Double.toString(magnitude)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int point = digits.length() - shortest.scale(); // value = 0.<digits> * 10^point
        if (digits.length() == 2) {
            BigDecimal single = singleDigit(magnitude, digits, point);
            if (single != null) {
                digits = single.unscaledValue().toString();
                point = digits.length() - single.scale();
            }
        }
        StringBuilder text = new StringBuilder(24);
        if (value < 0) {
            text.append('-');
        }
        if (point <= -4 || point > 16) {
            int exponent = point - 1;
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append(exponent < 0 ? "e-" : "e+");
            int absExponent = Math.abs(exponent);
            if (absExponent < 10) {
                text.append('0');
            }
            text.append(absExponent);
        } else if (point <= 0) {
            text.append("0.").repeat('0', -point).append(digits);
        } else if (point < digits.length()) {
            text.append(digits, 0, point).append('.').append(digits, point, digits.length());
        } else {
            text.append(digits).repeat('0', point - digits.length()).append(".0");
        }
        return text.toString();
    }

    /** {@return the one-digit decimal nearest {@code magnitude} that reads back as it, or null} */
    private static BigDecimal singleDigit(double magnitude, String digits, int point) {
        int low = digits.charAt(0) - '0';
        BigDecimal exact = new BigDecimal(magnitude);
        BigDecimal best = null;
        for (int digit = low; digit <= low + 1; digit++) {
            if (digit == 0) {
                continue;
            }
            BigDecimal candidate = BigDecimal.valueOf(digit).scaleByPowerOfTen(point - 1).stripTrailingZeros();
            if (candidate.doubleValue() != magnitude) {
                continue;
            }
            if (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) {
                best = candidate;
            }
        }
        return best;
    }
}
