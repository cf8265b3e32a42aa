package io.loomas.rpc;

/**
 * The exception for a call whose path leads nowhere: a name not found, or a method that exists but
 * is not exposed. Its message names the path, as aiomas' does ({@code Name "nope" not found in
 * "math"}, {@code "math/hidden" is not exposed}).
 */
public class NoRouteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public NoRouteException(String message) {
        super(message);
    }
}
