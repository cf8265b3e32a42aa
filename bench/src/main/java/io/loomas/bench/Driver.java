package io.loomas.bench;

/**
 * One system under test seen from the client side: loomas with a codec, the raw-socket limit, or
 * gRPC. A driver owns one connection, opened once and used for every measurement.
 */
interface Driver extends AutoCloseable {

    /** {@return the name shown in the tables} */
    String name();

    /**
     * Runs {@code callers} concurrent callers on the one connection, each issuing calls back to back
     * until {@code durationNanos} have passed, and returns once every call in flight has finished.
     *
     * @param latencies when not {@code null}, each call's round trip in nanoseconds is stored here
     *     (only with one caller), up to its capacity
     */
    Measurement measure(int callers, Payload payload, long durationNanos, LatencyRecorder latencies) throws Exception;

    @Override
    void close() throws Exception;
}
