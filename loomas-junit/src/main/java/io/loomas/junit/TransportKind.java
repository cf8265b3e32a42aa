package io.loomas.junit;

/** The transports a {@link TransportTest} runs on. */
public enum TransportKind {
    /** TCP on {@code 127.0.0.1}, a free port bound as port 0. */
    TCP,
    /** A Unix domain socket in a short temporary directory, removed after the test. */
    UNIX,
    /** The in-JVM local queue, under a name unique to the test. */
    LOCAL,
    /**
     * Mutual TLS over TCP on {@code 127.0.0.1}, with a test CA, server and client certificate made
     * once per test run by the running JDK's {@code keytool} (about two seconds, paid only when a
     * TLS case runs).
     */
    TLS;

    /** {@return the name used in reports: tcp, unix, local, tls} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
