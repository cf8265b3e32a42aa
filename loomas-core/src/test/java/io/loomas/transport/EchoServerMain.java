package io.loomas.transport;

import java.io.IOException;

/**
 * A TCP echo server for tests that need a process of its own (say, one started under a low limit
 * of file descriptors): prints {@code PORT <n>} once it listens, and exits when its stdin ends.
 */
public final class EchoServerMain {
    private EchoServerMain() {}

    /**
     * One whole connection first, so every class its life needs is loaded: loading a class from a
     * directory takes a file descriptor, and a class that failed to load once stays failed.
     */
    private static void warmUp(Transport tcp, Address address) throws IOException {
        io.loomas.runtime.Promise<byte[]> echo = new io.loomas.runtime.Promise<>();
        io.loomas.runtime.Promise<Throwable> closed = new io.loomas.runtime.Promise<>();
        Connection c = tcp.connect(address, TransportOptions.DEFAULT);
        c.start(new FrameHandler() {
            @Override
            public void onFrame(byte[] payload) {
                echo.complete(payload);
            }

            @Override
            public void onClose(Throwable cause) {
                closed.complete(cause);
            }
        });
        c.send(new byte[] {1});
        echo.await();
        c.close();
        closed.await();
    }

    public static void main(String[] args) throws IOException {
        Transport tcp = Transport.forAddress(Address.tcp("127.0.0.1", 0));
        try (Listener listener = tcp.listen(Address.tcp("127.0.0.1", 0), TransportOptions.DEFAULT, c -> c.start(
                new FrameHandler() {
                    @Override
                    public void onFrame(byte[] payload) {
                        c.send(payload);
                    }

                    @Override
                    public void onClose(Throwable cause) {}
                }))) {
            warmUp(tcp, listener.address());
            System.out.println("PORT " + ((Address.Tcp) listener.address()).port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        }
    }
}
