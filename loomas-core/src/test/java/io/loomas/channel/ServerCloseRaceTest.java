package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import io.loomas.transport.Connection;
import io.loomas.transport.FrameHandler;
import io.loomas.transport.Listener;
import io.loomas.transport.Transport;
import io.loomas.transport.TransportOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A connection handed over while the server closes (a TLS handshake that ends just then): once
 * {@link Server#awaitClosed()} returns, no handler of the server may start or still run. The
 * transport here is the local one, with the hand-over held at a moment the test chooses: after
 * the server's check that it is open, before the handler is spawned.
 */
class ServerCloseRaceTest {

    /** The local transport, whose accepted connections block in {@code remoteAddress()} until released. */
    private static final class HeldTransport implements Transport {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch handedOver = new CountDownLatch(1);
        private final Transport local = Transport.forAddress(Address.local("x"));

        @Override
        public Connection connect(Address address, TransportOptions options) throws IOException {
            return local.connect(address, options);
        }

        @Override
        public Listener listen(Address address, TransportOptions options, Consumer<Connection> onAccept)
                throws IOException {
            return local.listen(address, options, c -> {
                try {
                    onAccept.accept(new Held(c));
                } finally {
                    handedOver.countDown();
                }
            });
        }

        private final class Held implements Connection {
            private final Connection c;
            private boolean held;

            Held(Connection c) {
                this.c = c;
            }

            @Override
            public Address localAddress() {
                return c.localAddress();
            }

            @Override
            public Address remoteAddress() {
                if (!held) {
                    held = true;
                    entered.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return c.remoteAddress();
            }

            @Override
            public void start(FrameHandler handler) {
                c.start(handler);
            }

            @Override
            public void send(byte[] payload) {
                c.send(payload);
            }

            @Override
            public void close() {
                c.close();
            }

            @Override
            public boolean isOpen() {
                return c.isOpen();
            }
        }
    }

    @Test
    void noHandlerRunsAfterAwaitClosedReturns() throws Exception {
        HeldTransport transport = new HeldTransport();
        ChannelOptions options = ChannelOptions.DEFAULT.withTransport(transport);
        List<String> left = Loop.run(() -> {
            Server server = Channels.startServer(Address.local("close-race"), Channel::recv, options);
            Thread client = Thread.ofPlatform().start(() -> {
                try (Channel c = Channels.connect(server.address(), options)) {
                    c.isOpen();
                } catch (IOException | RuntimeException e) {
                    // refused or closed under it: both are fine here
                }
            });
            assertThat(transport.entered.await(10, TimeUnit.SECONDS)).as("the hand-over started").isTrue();
            server.close(); // while the hand-over is past the server's "still open?" check
            // The hand-over goes on once this task waits in awaitClosed(), or once that returned.
            Thread self = Thread.currentThread();
            Thread releaser = Thread.ofPlatform().start(() -> {
                while (self.getState() != Thread.State.WAITING && transport.release.getCount() > 0) {
                    Thread.onSpinWait();
                }
                transport.release.countDown();
            });
            server.awaitClosed();
            transport.release.countDown();
            releaser.join(10_000);
            // Hold the loop (no scheduling point) until the hand-over is over, then look.
            assertThat(transport.handedOver.await(10, TimeUnit.SECONDS)).isTrue();
            List<String> running = Loop.current().tasks().stream().filter(t -> t != Task.current())
                    .map(Task::name).toList();
            client.join(10_000);
            Loop.runUntilIdle();
            return running;
        });
        assertThat(left).as("handler tasks still to run after awaitClosed() returned").isEmpty();
    }
}
