package io.loomas.codec.internal;

import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A conversion failure on its way up to the public entry point, collecting where in the
 * value it happened; it has no stack trace because it never leaves the converter.
 */
final class ConversionFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Object value;
    private final transient Type target;
    private final String rule;
    private final String problem;
    private final transient Deque<Object> path = new ArrayDeque<>();

ConversionFailure(Object value, Type target, String rule) {
        this(value, target, rule, null);
    }

ConversionFailure(Object value, Type target, String rule, String problem) {
        super(null, null, false, false);
        this.value = value;
        this.target = target;
        this.rule = rule;
        this.problem = problem;
    }

ConversionFailure within(Object step) {
        path.addFirst(step);
        return this;
    }

    String describe() {
        StringBuilder text = new StringBuilder("cannot convert ").append(Describe.value(value))
                .append(" to ").append(Describe.type(target));
        if (!path.isEmpty()) {
            text.append(" at ");
            for (Object step : path) {
                text.append(step instanceof Integer index ? "[" + index + "]" : step);
            }
        }
        if (problem != null) {
            text.append(": ").append(problem);
        }
        return text.append(" (expected: ").append(rule).append(')').toString();
    }
}
