package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Loop;
import io.loomas.runtime.LoopOptions;
import io.loomas.runtime.internal.OpenResource;
import io.loomas.runtime.internal.OpenResources;
import io.loomas.transport.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OpenResources#of}: what the channel layer records as open, and when it forgets it. */
class OpenResourcesTest {

    static List<Object> open(Loop loop) {
        return OpenResources.of(loop).stream().map(OpenResource::resource).toList();
    }

    @Test
    void aServerIsListedFromStartUntilClose() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Server server = Channels.startServer(Address.local("open-resources-1"), channel -> {}, ChannelOptions.DEFAULT);
            assertThat(open(loop)).containsExactly(server);
            assertThat(OpenResources.of(loop).get(0).taskName()).isEqualTo("main");
            server.close();
            server.awaitClosed();
            assertThat(open(loop)).isEmpty();
            return null;
        });
    }

    @Test
    void aClientChannelIsListedUntilEitherSideClosesIt() {
        Loop.run(() -> {
            Loop loop = Loop.current();
            Server server = Channels.startServer(Address.tcp("127.0.0.1", 0), channel -> {
                try {
                    channel.recv();
                } catch (io.loomas.transport.ConnectionClosedException e) {
                    return; // the client closed first
                }
                channel.close(); // the peer hangs up
            }, ChannelOptions.DEFAULT);
            Channel mine = Channels.connect(server.address(), ChannelOptions.DEFAULT);
            Channel hungUp = Channels.connect(server.address(), ChannelOptions.DEFAULT);
            assertThat(open(loop)).containsExactly(server, mine, hungUp);
            mine.close();
            hungUp.request("bye");
            hungUp.closed().await();
            assertThat(open(loop)).containsExactly(server);
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void inDebugModeTheRecordKeepsWhereTheResourceWasOpened() {
        Loop.run(LoopOptions.DEFAULT.withDebug(true), () -> {
            Server server = Channels.startServer(Address.local("open-resources-2"), channel -> {}, ChannelOptions.DEFAULT);
            try {
                Throwable site = OpenResources.of(Loop.current()).get(0).openSite();
                assertThat(site).isNotNull();
                assertThat(site.getStackTrace()).anySatisfy(frame ->
                        assertThat(frame.getMethodName()).isEqualTo("lambda$inDebugModeTheRecordKeepsWhereTheResourceWasOpened$0"));
            } finally {
                server.close();
            }
            return null;
        });
    }

    @Test
    void outsideATaskNothingIsRecordedAndReleaseDoesNothing() {
        OpenResource r = OpenResources.track("a resource");
        assertThat(r.taskName()).isNull();
        r.release();
    }
}
