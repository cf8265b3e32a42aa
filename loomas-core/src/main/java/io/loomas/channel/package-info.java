/**
 * Request-reply channels: send a request and block the calling task until its reply, or receive
 * the peer's requests and answer them, over any transport, in aiomas' wire format.
 *
 * <p>Replies are matched to requests by id, per connection and direction, so many tasks may send on
 * one channel and both peers may send requests. A failure reply arrives as a
 * {@link io.loomas.channel.RemoteException}; a closed or broken connection fails every pending call
 * with a {@link io.loomas.transport.ConnectionClosedException} naming why.
 *
 * <p>Unless otherwise specified, passing {@code null} to a method of this package throws
 * {@link java.lang.NullPointerException} ({@code null} content is the wire's null). All public types
 * are thread-safe.
 */
package io.loomas.channel;
