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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

    /** The client: one channel (one HTTP/2 connection), blocking unary calls from virtual threads. */
    static final class Client implements Driver {
        private final ManagedChannel channel;

        Client(String address) {
            String hostPort = address.substring("tcp://".length());
            int colon = hostPort.lastIndexOf(':');
            channel = Grpc.newChannelBuilderForAddress(hostPort.substring(0, colon),
                            Integer.parseInt(hostPort.substring(colon + 1)), InsecureChannelCredentials.create())
                    .directExecutor()
                    .build();
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
}
