package io.loomas.bench;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gRPC-java peer: unary calls on grpc-netty-shaded with {@code directExecutor()} on both
 * sides, a hand-written method descriptor and a byte-array marshaller (no protobuf compiler).
 */
final class GrpcEcho {
    private GrpcEcho() {}

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Echo"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    /** The echo server. */
    static final class Server implements AutoCloseable {
        private final io.grpc.Server server;

        Server() throws IOException {
            server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                    .directExecutor()
                    .addService(ServerServiceDefinition.builder("bench.Echo")
                            .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                                response.onNext(request);
                                response.onCompleted();
                            }))
                            .build())
                    .build()
                    .start();
        }

        String address() {
            return "tcp://127.0.0.1:" + server.getPort();
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** {@return a channel (one HTTP/2 connection) to {@code address}, its callbacks run on Netty's event loop} */
    static ManagedChannel channel(String address) {
        String hostPort = address.substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        return Grpc.newChannelBuilderForAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1)), InsecureChannelCredentials.create())
                .directExecutor()
                .build();
    }

    /** {@return whether {@code d} is one of the gRPC clients} */
    static boolean isGrpc(Driver d) {
        return d instanceof Client || d instanceof AsyncClient;
    }

    /** The client: one channel (one HTTP/2 connection), blocking unary calls from virtual threads. */
    static final class Client implements Driver {
        private final ManagedChannel channel;

        Client(String address) {
            channel = channel(address);
        }

        @Override
        public String name() {
            return "gRPC-java";
        }

        @Override
        public Measurement measure(int callers, Payload payload, long durationNanos, LatencyRecorder latencies)
                throws InterruptedException {
            byte[] body = payload.bytes();
            AtomicLong calls = new AtomicLong();
            Deadline deadline = new Deadline(durationNanos);
            long start = System.nanoTime();
            Thread[] threads = new Thread[callers];
            for (int i = 0; i < callers; i++) {
                threads[i] = Thread.ofVirtual().start(() -> {
                    long n = 0;
                    while (!deadline.passed()) {
                        long t0 = System.nanoTime();
                        byte[] reply = ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, body);
                        if (reply.length != body.length) {
                            throw new IllegalStateException("gRPC echo returned " + reply.length + " bytes");
                        }
                        if (latencies != null) {
                            latencies.record(System.nanoTime() - t0);
                        }
                        n++;
                    }
                    calls.addAndGet(n);
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            return new Measurement(calls.get(), System.nanoTime() - start);
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * gRPC's own fastest client path: N calls in flight on one channel through the async stub
     * ({@code ClientCalls.asyncUnaryCall}), each completion issuing the next on Netty's event loop
     * (direct executor), no thread per caller.
     */
    static final class AsyncClient implements Driver {
        private final ManagedChannel channel;

        AsyncClient(String address) {
            channel = channel(address);
        }

        @Override
        public String name() {
            return "gRPC-java async";
        }

        @Override
        public Measurement measure(int callers, Payload payload, long durationNanos, LatencyRecorder latencies)
                throws InterruptedException {
            byte[] body = payload.bytes();
            AtomicLong calls = new AtomicLong();
            Deadline deadline = new Deadline(durationNanos);
            CountDownLatch done = new CountDownLatch(callers);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            long start = System.nanoTime();
            for (int i = 0; i < callers; i++) {
                call(body, calls, deadline, done, failed, latencies);
            }
            done.await();
            if (failed.get() != null) {
                throw new IllegalStateException("gRPC async echo failed", failed.get());
            }
            return new Measurement(calls.get(), System.nanoTime() - start);
        }

        /** One call; its completion makes the next, until the deadline. Latencies: one caller only writes them (1 in flight). */
        private void call(byte[] body, AtomicLong calls, Deadline deadline, CountDownLatch done,
                AtomicReference<Throwable> failed, LatencyRecorder latencies) {
            long t0 = System.nanoTime();
            ClientCalls.asyncUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT), body,
                    new StreamObserver<byte[]>() {
                        @Override
                        public void onNext(byte[] reply) {
                            if (reply.length != body.length) {
                                onError(new IllegalStateException("gRPC echo returned " + reply.length + " bytes"));
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            if (failed.compareAndSet(null, t)) {
                                done.countDown();
                            }
                        }

                        @Override
                        public void onCompleted() {
                            if (latencies != null) {
                                latencies.record(System.nanoTime() - t0);
                            }
                            calls.incrementAndGet();
                            if (deadline.passed() || failed.get() != null) {
                                done.countDown();
                            } else {
                                call(body, calls, deadline, done, failed, latencies);
                            }
                        }
                    });
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
