/**
 * Transports: framed byte-message connections over TCP, Unix domain sockets and an in-JVM local
 * queue, and the addresses that name them.
 *
 * <p>A frame is a 4-byte big-endian length and a payload; readers enforce a maximum frame size and
 * close only the offending connection. Each connection has one reader and one batching writer
 * thread, neither of which ever holds a loop; senders wait (a scheduling point) while the write
 * buffer is full.
 *
 * <p>Unless otherwise specified, passing {@code null} to a method of this package throws
 * {@link java.lang.NullPointerException}. All public types are thread-safe.
 */
package io.loomas.transport;
