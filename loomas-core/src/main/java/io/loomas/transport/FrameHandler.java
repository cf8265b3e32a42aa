package io.loomas.transport;

/**
 * Receives what arrives on a {@link Connection}: its frames, then its end.
 *
 * <p>Called on the connection's reader thread, outside any loop, one call at a time and in order:
 * implementations hand frames in through thread-safe entry points (complete a promise, put into a
 * queue). A handler that blocks in {@link #onFrame} stops the reading, which is how a slow receiver
 * pushes back on its peer.
 */
public interface FrameHandler {

    /** Handles one frame's payload (without the length header). */
    void onFrame(byte[] payload);

    /**
     * Handles the end of the connection; called exactly once, after the last frame.
     *
     * @param cause why it ended: {@code null} for an orderly close by either side, else the error
     *     (a {@link ProtocolException} for a broken frame, an {@link java.io.IOException} for a reset)
     */
    void onClose(Throwable cause);
}
