/**
 * loomas: request-reply channels, RPC and agents in containers for plain blocking Java on virtual
 * threads, wire-compatible with Python's aiomas.
 *
 * <p>The exported packages are the API, one per layer, each depending only on those below it:
 * {@code runtime} (loops, tasks, clocks, synchronizers), {@code codec}, {@code transport},
 * {@code channel}, {@code rpc} and {@code agent}. Packages named {@code internal} are plumbing
 * shared with loomas' simulation and test kit; they may change in any release.
 *
 * <p>RPC calls exposed methods and builds records by reflection: a module of yours that exposes
 * services or sends records opens their packages to {@code io.loomas}.
 */
module io.loomas {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    // msgpack-core publishes no module name yet: this is its jar's automatic name.
    requires msgpack.core;
    requires jdk.unsupported; // sun.misc.Signal: the only JDK API for SIGINT and SIGTERM handlers
    requires jdk.net; // TCP keepalive's timing (ExtendedSocketOptions)
    requires jdk.jfr; // loomas' Flight Recorder events (runtime.internal.JfrEvents)

    exports io.loomas.runtime;
    exports io.loomas.codec;
    exports io.loomas.transport;
    exports io.loomas.channel;
    exports io.loomas.rpc;
    exports io.loomas.agent;
    exports io.loomas.disk;

    exports io.loomas.runtime.internal to io.loomas.sim, io.loomas.junit, io.loomas.micrometer;
}
