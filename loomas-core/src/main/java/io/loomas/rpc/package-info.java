/**
 * Remote procedure calls: services with {@link io.loomas.rpc.Expose exposed} methods, routers that
 * resolve {@code /}-joined paths, typed and untyped proxies, and calls in both directions over one
 * connection.
 *
 * <p>A call is the channel request {@code [path, args, kwargs]}; its reply is the method's return
 * value, or a failure with the remote stack trace. Each incoming call runs in a task of the serving
 * loop: the one receiving the connection's requests until the call first waits, its own from then
 * on, while a new task receives. Services passed as arguments or results travel as their path and arrive as proxies
 * that call back over the same connection.
 *
 * <p>Unless otherwise specified, passing {@code null} to a method of this package throws
 * {@link java.lang.NullPointerException}. All public types are thread-safe.
 */
package io.loomas.rpc;
