package io.loomas.bench;

import io.loomas.channel.ChannelOptions;
import io.loomas.codec.Codec;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import java.util.ArrayList;
import java.util.List;

/** loomas RPC as a system under test: a server on its own loop, a client with its callers as tasks of one loop. */
final class LoomasRpc {
    private LoomasRpc() {}

    static RpcOptions options(Codec codec) {
        return RpcOptions.DEFAULT.withChannelOptions(ChannelOptions.DEFAULT.withCodec(codec));
    }

    /** A {@link BenchService} server running on its own loop (and platform thread) until closed. */
    static final class Server implements AutoCloseable {
        private final Promise<Address> started = new Promise<>();
        private final Promise<Void> stop = new Promise<>();
        private final Thread thread;

        Server(Address address, Codec codec) {
            thread = Thread.ofPlatform().name("loomas server " + address).start(() -> Loop.run(() -> {
                RpcServer server;
                try {
                    server = Rpc.startServer(address, new BenchService(), options(codec));
                } catch (Throwable e) {
                    started.fail(e);
                    throw e;
                }
                started.complete(server.address());
                stop.await();
                server.close();
                server.awaitClosed();
                return null;
            }));
        }

        Address address() {
            return started.await();
        }

        @Override
        public void close() throws InterruptedException {
            stop.complete(null);
            thread.join();
        }
    }

    /** The client: one connection; each caller is a task of the client's loop. */
    static final class Client implements Driver {
        private final String name;
        private final Loop loop = Loop.create();
        private final RpcConnection client;
        private final BenchService.Api api;
        private final String text4k = Payload.text4k();

        Client(String name, Address address, Codec codec) {
            this.name = name;
            this.client = loop.spawn("connect", () -> Rpc.connect(address, options(codec))).await();
            this.api = client.remote(BenchService.Api.class);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Measurement measure(int callers, Payload payload, long durationNanos, LatencyRecorder latencies) {
            return loop.spawn("measure", () -> {
                Deadline deadline = new Deadline(durationNanos);
                long start = System.nanoTime();
                List<Task<Long>> tasks = new ArrayList<>(callers);
                for (int i = 0; i < callers; i++) {
                    int a = i;
                    tasks.add(loop.spawn("caller-" + i, () -> {
                        long n = 0;
                        while (!deadline.passed()) {
                            long t0 = System.nanoTime();
                            if (payload == Payload.ADD) {
                                if (api.add(a, 1) != a + 1) {
                                    throw new IllegalStateException("wrong sum");
                                }
                            } else if (api.echo(text4k).length() != Payload.SIZE_4K) {
                                throw new IllegalStateException("wrong echo");
                            }
                            if (latencies != null) {
                                latencies.record(System.nanoTime() - t0);
                            }
                            n++;
                        }
                        return n;
                    }));
                }
                long calls = 0;
                for (Task<Long> t : tasks) {
                    calls += t.await();
                }
                return new Measurement(calls, System.nanoTime() - start);
            }).await();
        }

        @Override
        public void close() {
            loop.spawn("close", () -> {
                client.close();
                client.awaitClosed();
                return null;
            }).await();
            loop.close();
        }
    }
}
