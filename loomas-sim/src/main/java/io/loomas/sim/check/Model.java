package io.loomas.sim.check;

/**
 * The sequential specification a {@link Linearizability} check holds a history to: the state an
 * object starts in, and what each operation does to it.
 *
 * <p>States must be immutable values ({@code equals} and {@code hashCode} by value, as records
 * are): the check remembers the states it has seen to prune its search. {@link Models} has ready
 * models; a user's own is a few lines.
 *
 * @param <S> the state
 */
public interface Model<S> {

    /** {@return the state before any operation} */
    S initial();

    /**
     * {@return the state after an operation with {@code input} that returned {@code output} in
     * {@code state}, or {@code null} if it cannot have returned that output there}
     *
     * @param output what the operation returned; {@code null} if that is unknown (an operation
     *     whose outcome was not seen), in which case any output is possible
     * @param known whether the output is known
     */
    S step(S state, Object input, Object output, boolean known);

    /**
     * {@return the independent part of the object {@code input} touches (a key of a map), or
     * {@code null} for one object}; the check takes each part on its own, which is much faster
     */
    default Object partition(Object input) {
        return null;
    }
}
