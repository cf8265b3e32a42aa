package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code @LoomasTest} gives a test method: its own loop, run as its main task, parameters by type. */
@LoomasTest
class LoomasTestTest {
    private Loop before;

    @BeforeEach
    void setUp(Loop loop) {
        assertThat(Loop.current()).isSameAs(loop); // @BeforeEach runs as a task of the test's loop too
        before = loop;
    }

    @AfterEach
    void tearDown(Loop loop) {
        assertThat(Loop.current()).isSameAs(loop);
    }

    @Test
    void theTestMethodIsTheMainTaskOfItsOwnLoop(Loop loop, Clock clock) {
        assertThat(Task.current().name()).isEqualTo("theTestMethodIsTheMainTaskOfItsOwnLoop");
        assertThat(Loop.current()).isSameAs(loop).isSameAs(before);
        assertThat(loop.isDebug()).isTrue();
        assertThat(clock).isSameAs(Clock.system());
    }

    @Test
    void runUntilIdleLetsSpawnedTasksDoTheirWorkBeforeTheTestLooks(Loop loop) {
        StringBuilder done = new StringBuilder();
        loop.spawn(() -> done.append("a"));
        loop.spawn(() -> done.append("b"));
        Loop.runUntilIdle();
        assertThat(done).hasToString("ab");
    }

    @Test
    void aPlainLoomasTestTalksTcpAndJson(TransportContext ctx) {
        assertThat(ctx.transport()).isEqualTo(TransportKind.TCP);
        assertThat(ctx.codec()).isEqualTo(CodecKind.JSON);
        assertThat(ctx.bindAddress()).isEqualTo(Address.tcp("127.0.0.1", 0));
    }
}
