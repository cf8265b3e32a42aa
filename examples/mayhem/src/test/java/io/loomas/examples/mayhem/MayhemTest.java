package io.loomas.examples.mayhem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.loomas.agent.Container;
import io.loomas.junit.ClockKind;
import io.loomas.junit.LoomasTest;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The article's unit tests, one for one; each runs as a task of a fresh loop. */
@LoomasTest
class MayhemTest {
    private final PubSubMessage message = new PubSubMessage("1", "cattle-1234");
    private final LogSink.Recording log = new LogSink.Recording();
    private final RandomGenerator random = mock(RandomGenerator.class);

    @BeforeEach
    void chanceNeverFailsAndPausesAreShort() {
        when(random.nextInt(5)).thenReturn(0);       // never the failing draw (3)
        when(random.nextInt(1000)).thenReturn(10);   // every pause 10 ms
    }

    // test_save
    @Test
    void saveMarksTheMessageSaved(Clock clock) {
        assertThat(message.saved()).isFalse();
        new Mayhem(clock, random, log).save(message);
        assertThat(message.saved()).isTrue();
        assertThat(log.lines()).containsExactly("INFO: Saved PubSubMessage(instance_name=cattle-1234) into database");
    }

    // test_save with mock_sleep: virtual time instead of patching asyncio.sleep
    @Test
    @LoomasTest(clock = ClockKind.VIRTUAL)
    void saveSleepsOnTheClockNotTheWall(Clock clock) {
        when(random.nextInt(1000)).thenReturn(999);
        long start = System.nanoTime();
        new Mayhem(clock, random, log).save(message);
        assertThat(message.saved()).isTrue();
        assertThat(clock.now()).isEqualTo(Duration.ofMillis(999));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
    }

    // restart_host failing: RestartFailed, and handle_results asks for a retry
    @Test
    @LoomasTest(clock = ClockKind.VIRTUAL)
    void aFailedRestartIsRetried(Clock clock) {
        when(random.nextInt(5)).thenReturn(3);
        Mayhem mayhem = new Mayhem(clock, random, log);
        Throwable failure = catchFailure(() -> mayhem.restartHost(message));
        assertThat(failure).isInstanceOf(RestartFailed.class).hasMessage("Could not restart cattle-1234.example.net");
        assertThat(message.restarted()).isFalse();
        mayhem.handleResults(List.of(failure, new IllegalStateException("disk full")), message);
        assertThat(log.lines()).containsExactly(
                "ERROR: Retrying for failure to restart: cattle-1234.example.net",
                "ERROR: Handling general error: disk full");
    }

    // test_consume: one message, then an exception ends the while-true loop
    @Test
    void consumeHandsEachMessageToItsOwnTask(Clock clock, Container container) {
        MessageSource queue = mock(MessageSource.class);
        when(queue.pull()).thenReturn(message).thenThrow(new IllegalStateException("break while loop"));
        Mayhem mayhem = spy(new Mayhem(clock, random, log));
        doNothing().when(mayhem).handleMessage(any());
        ConsumerAgent consumer = new ConsumerAgent(container, mayhem);

        assertThatThrownBy(() -> consumer.consume(queue)).hasMessage("break while loop");

        assertThat(Loop.current().tasks()).extracting(Task::name).contains("handle-cattle-1234");
        verify(mayhem, never()).handleMessage(any());    // scheduled, not run yet
        Loop.runUntilIdle();
        verify(mayhem, times(1)).handleMessage(message);
        assertThat(consumer.outstanding()).isEmpty();
    }

    // test_handle_message: save and restart mocked; extend while they run, then cleanup acks
    @Test
    @LoomasTest(clock = ClockKind.VIRTUAL)
    void extendRunsWhileSaveAndRestartAreInFlightThenCleanupAcks(Clock clock) {
        when(random.nextInt(1000)).thenReturn(0);
        Mayhem mayhem = spy(new Mayhem(clock, random, log));
        doAnswer(call -> {
            clock.sleep(Duration.ofSeconds(5));
            return null;
        }).when(mayhem).save(message);
        doAnswer(call -> {
            clock.sleep(Duration.ofSeconds(3));
            throw new RestartFailed("Could not restart " + message.hostname());
        }).when(mayhem).restartHost(message);

        mayhem.handleMessage(message);

        verify(mayhem).save(message);
        verify(mayhem).restartHost(message);
        assertThat(message.extendedCount()).isEqualTo(3);  // at 0 s, 2 s and 4 s of the 5 s
        assertThat(message.acked()).isTrue();
        assertThat(clock.now()).isEqualTo(Duration.ofSeconds(5));
        String extended = "INFO: Extended deadline by 3 seconds for " + message;
        // failures are inspected once both finished (at 5 s), so after the third extension
        assertThat(log.lines()).containsExactly(extended, extended, extended,
                "ERROR: Retrying for failure to restart: cattle-1234.example.net",
                "INFO: Done. Acked " + message);
        assertThat(Loop.current().tasks()).containsExactly(Task.current());  // extend has stopped
    }

    private static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
