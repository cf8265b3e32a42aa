package io.loomas.sim.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomas.runtime.VirtualClock;
import io.loomas.sim.check.Models.Acquire;
import io.loomas.sim.check.Models.Add;
import io.loomas.sim.check.Models.Cas;
import io.loomas.sim.check.Models.Dequeue;
import io.loomas.sim.check.Models.Enqueue;
import io.loomas.sim.check.Models.Get;
import io.loomas.sim.check.Models.Put;
import io.loomas.sim.check.Models.Read;
import io.loomas.sim.check.Models.ReadCount;
import io.loomas.sim.check.Models.Release;
import io.loomas.sim.check.Models.Renew;
import io.loomas.sim.check.Models.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The linearizability check and its models: histories that are linearizable pass, and each kind of violation is caught and named. */
class LinearizabilityTest {
    private final History h = History.on(new VirtualClock());

    private static boolean linearizable(History h, Model<?> model) {
        return Linearizability.check(h, model).linearizable();
    }

    @Test
    void sequentialReadsSeeTheLastWriteAndAStaleReadIsNamed() {
        h.invoke("a", new Write(1)).ok(null);
        h.invoke("b", new Read()).ok(1);
        assertThat(linearizable(h, Models.register())).isTrue();
        h.invoke("a", new Write(2)).ok(null);
        h.invoke("b", new Read()).ok(1); // after the write of 2 ended: stale
        Linearizability.Result r = Linearizability.check(h, Models.register());
        assertThat(r.linearizable()).isFalse();
        assertThat(r.explanation()).contains("#3 b Read[] ").contains("ok 1");
        assertThatThrownBy(r::assertLinearizable).isInstanceOf(AssertionError.class).hasMessageStartingWith("not linearizable");
    }

    @Test
    void theFailureShowsTheSmallestWindowNotTheWholeHistory() {
        for (int i = 0; i < 50; i++) {
            h.invoke("a", new Write(i)).ok(null);
            h.invoke("b", new Read()).ok(i);
        }
        History.Call write = h.invoke("a", new Write(100));
        h.invoke("b", new Read()).ok(100); // concurrent with the write: fine
        write.ok(null);
        h.invoke("c", new Read()).ok(49); // after both: stale
        for (int i = 0; i < 20; i++) {
            h.invoke("a", new Write(200 + i)).ok(null);
        }
        String why = Linearizability.check(h, Models.register()).explanation();
        assertThat(why).startsWith("not linearizable: the history up to the end of #102 cannot be linearized, up to the"
                + " end of #100 it can; the smallest window, ending with #102 (with each process's operation just before it):");
        String window = why.substring(0, why.indexOf("\nin all of them"));
        assertThat(window.lines().skip(1)).hasSize(3).anyMatch(l -> l.contains("#102 c Read[]"))
                .anyMatch(l -> l.contains("#100 a Write[value=100]")).anyMatch(l -> l.contains("#101 b Read[]"));
        assertThat(window).doesNotContain("#0 ").doesNotContain("#103 ");
    }

    /**
     * The window is a prefix in time, not in invocation order: operations invoked after a long one
     * but ended before it belong to it. A release and a grant that happened while c2's acquire was
     * in flight make its token 3 fine; the violation is the later grant of token 4 (the lock-service
     * sweep's report once blamed the long acquire).
     */
    @Test
    void theWindowCutsTheHistoryInTimeSoALongOperationIsNotBlamedForLaterOnes() {
        h.invoke("c1", new Acquire("c1")).ok(1L);
        History.Call longAcquire = h.invoke("c2", new Acquire("c2"));
        h.invoke("c1", new Release("c1", 1)).ok(true);
        h.invoke("c0", new Acquire("c0")).ok(2L);
        h.invoke("c0", new Release("c0", 2)).ok(true);
        longAcquire.ok(3L);
        h.invoke("c0", new Acquire("c0")).ok(4L); // while c2 holds token 3
        String why = Linearizability.check(h, Models.lock()).explanation();
        assertThat(why).startsWith("not linearizable: the history up to the end of #5 cannot be linearized, up to the"
                + " end of #1 it can; the smallest window, ending with #5 (with each process's operation just before it):");
        String window = why.substring(0, why.indexOf("\nin all of them"));
        assertThat(window).contains("#1 c2 Acquire[owner=c2]").contains("#5 c0 Acquire[owner=c0]");
    }

    /** A history the search cannot settle in its budget says so, the same way every time, and fails an assertion. */
    @Test
    void aSearchOverItsBudgetIsUndecidedNotLinearizable() {
        for (int i = 0; i < 12; i++) {
            h.invoke("w" + i, new Write(i)).info(); // twelve writes of unknown outcome, all open at once
        }
        h.invoke("r", new Read()).ok(99); // never written: no order works, and the search tries them all
        Linearizability.Result small = Linearizability.check(h, Models.register(), 1_000);
        assertThat(small.decided()).isFalse();
        assertThat(small.linearizable()).isFalse();
        assertThat(small.explanation()).startsWith("undecided: the search took 1000 steps (13 operations)");
        assertThatThrownBy(small::assertLinearizable).hasMessageStartingWith("undecided");
        assertThat(Linearizability.check(h, Models.register(), 1_000)).isEqualTo(small);
        Linearizability.Result full = Linearizability.check(h, Models.register());
        assertThat(full.decided()).isTrue();
        assertThat(full.linearizable()).isFalse();
        assertThatThrownBy(() -> Linearizability.check(h, Models.register(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeEitherValue() {
        for (int seen : new int[] {0, 5}) {
            History h = History.on(new VirtualClock());
            h.invoke("a", new Write(0)).ok(null);
            History.Call write = h.invoke("a", new Write(5));
            History.Call read = h.invoke("b", new Read());
            read.ok(seen);
            write.ok(null);
            assertThat(linearizable(h, Models.register())).as("read %d", seen).isTrue();
        }
    }

    @Test
    void aWriteOfUnknownOutcomeMayTakeEffectLaterOrNeverButNotUndo() {
        h.invoke("a", new Write(1)).ok(null);
        h.invoke("a", new Write(2)).info(); // timed out
        h.invoke("b", new Read()).ok(1);
        h.invoke("b", new Read()).ok(2); // it took effect, late
        assertThat(linearizable(h, Models.register())).isTrue();
        h.invoke("b", new Read()).ok(1); // ... and cannot have been undone
        assertThat(linearizable(h, Models.register())).isFalse();
    }

    @Test
    void aFailedWriteNeverTookEffect() {
        h.invoke("a", new Write(1)).ok(null);
        h.invoke("a", new Write(2)).fail();
        h.invoke("b", new Read()).ok(2);
        assertThat(linearizable(h, Models.register())).isFalse();
    }

    @Test
    void compareAndSetReportsWhetherItHeld() {
        h.invoke("a", new Write(1)).ok(null);
        h.invoke("a", new Cas(1, 2)).ok(true);
        h.invoke("b", new Cas(1, 3)).ok(false);
        h.invoke("b", new Read()).ok(2);
        assertThat(linearizable(h, Models.register())).isTrue();
        h.invoke("c", new Cas(2, 4)).ok(false); // it held 2
        assertThat(linearizable(h, Models.register())).isFalse();
    }

    @Test
    void eachKeyOfAMapIsCheckedOnItsOwnAndTheViolationNamesItsKey() {
        h.invoke("a", new Put("x", 1)).ok(null);
        h.invoke("a", new Put("y", 2)).ok(null);
        h.invoke("b", new Get("x")).ok(1);
        h.invoke("b", new Get("z")).ok(null);
        assertThat(linearizable(h, Models.keyValue())).isTrue();
        h.invoke("b", new Get("y")).ok(1);
        Linearizability.Result r = Linearizability.check(h, Models.keyValue());
        assertThat(r.linearizable()).isFalse();
        assertThat(r.explanation()).startsWith("not linearizable (part y)");
    }

    @Test
    void aCounterCountsEveryAddOnce() {
        History.Call slow = h.invoke("a", new Add(5));
        h.invoke("b", new Add(1)).ok(null);
        h.invoke("c", new ReadCount()).ok(6L); // the slow add took effect already
        slow.ok(null);
        h.invoke("c", new ReadCount()).ok(6L);
        assertThat(linearizable(h, Models.counter())).isTrue();
        h.invoke("c", new ReadCount()).ok(11L);
        assertThat(linearizable(h, Models.counter())).isFalse();
    }

    @Test
    void aQueueHandsOutElementsInOrderAndOnlyOnce() {
        h.invoke("a", new Enqueue("x")).ok(null);
        h.invoke("a", new Enqueue("y")).ok(null);
        h.invoke("b", new Dequeue()).ok("x");
        h.invoke("c", new Dequeue()).ok("y");
        h.invoke("c", new Dequeue()).ok(null);
        assertThat(linearizable(h, Models.queue())).isTrue();
        h.invoke("a", new Enqueue("z")).ok(null);
        h.invoke("b", new Dequeue()).ok("y"); // handed out twice
        assertThat(linearizable(h, Models.queue())).isFalse();
    }

    @Test
    void aLockIsHeldByOneOwnerAtATimeWithGrowingTokens() {
        h.invoke("a", new Acquire("a")).ok(1L);
        h.invoke("b", new Acquire("b")).ok(null); // refused: held
        h.invoke("a", new Release("a", 1)).ok(true);
        h.invoke("b", new Acquire("b")).ok(2L);
        h.invoke("a", new Release("a", 1)).ok(false);
        assertThat(linearizable(h, Models.lock())).isTrue();

        History twice = History.on(new VirtualClock());
        twice.invoke("a", new Acquire("a")).ok(1L);
        twice.invoke("b", new Acquire("b")).ok(2L); // granted while a holds it
        assertThat(linearizable(twice, Models.lock())).isFalse();

        History stale = History.on(new VirtualClock());
        stale.invoke("a", new Acquire("a")).ok(5L);
        stale.invoke("a", new Release("a", 5)).ok(true);
        stale.invoke("b", new Acquire("b")).ok(5L); // the token did not grow
        assertThat(linearizable(stale, Models.lock())).isFalse();
    }

    @Test
    void onlyTheHoldersTokenRenewsALockAndARenewalKeepsIt() {
        h.invoke("a", new Acquire("a")).ok(1L);
        h.invoke("a", new Renew("a", 1)).ok(true);
        h.invoke("b", new Renew("b", 1)).ok(false); // not b's
        h.invoke("b", new Acquire("b")).ok(null);   // still a's after the renewal
        h.invoke("a", new Release("a", 1)).ok(true);
        h.invoke("a", new Renew("a", 1)).ok(false); // released: nothing to renew
        assertThat(linearizable(h, Models.lock())).isTrue();

        History afterRelease = History.on(new VirtualClock());
        afterRelease.invoke("a", new Acquire("a")).ok(1L);
        afterRelease.invoke("a", new Release("a", 1)).ok(true);
        afterRelease.invoke("a", new Renew("a", 1)).ok(true); // renewed a lock it gave back
        assertThat(linearizable(afterRelease, Models.lock())).isFalse();

        History refused = History.on(new VirtualClock());
        refused.invoke("a", new Acquire("a")).ok(3L);
        refused.invoke("a", new Renew("a", 3)).ok(false); // the holder's own renewal refused
        assertThat(linearizable(refused, Models.lock())).isFalse();

        History unseen = History.on(new VirtualClock());
        unseen.invoke("a", new Acquire("a")).info();
        unseen.invoke("a", new Renew("a", 4)).ok(true); // the renewal tells the token of a grant nobody saw
        unseen.invoke("a", new Release("a", 5)).ok(true); // ... so another token cannot release it
        assertThat(linearizable(unseen, Models.lock())).isFalse();
    }

    @Test
    void aGrantNobodySawMayBeReleasedWithItsToken() {
        h.invoke("a", new Acquire("a")).info(); // the reply was lost
        h.invoke("a", new Release("a", 7)).ok(true);
        h.invoke("b", new Acquire("b")).ok(8L);
        assertThat(linearizable(h, Models.lock())).isTrue();
    }

    /**
     * A register shared by 5 clients, run for 10,000 operations with a seeded interleaving: each
     * operation takes effect at a random moment between its invocation and its end, so the history
     * is linearizable; one read that returns a value never written makes it not, and the report
     * names that read.
     */
    @ParameterizedTest(name = "[seed={0}]")
    @ValueSource(longs = {1, 2, 3})
    void tenThousandOperationsOfFiveClients(long seed) {
        History good = registerHistory(seed, false);
        assertThat(good.operations()).hasSize(10_000);
        Linearizability.check(good, Models.register()).assertLinearizable();

        Linearizability.Result bad = Linearizability.check(registerHistory(seed, true), Models.register());
        assertThat(bad.linearizable()).isFalse();
        assertThat(bad.explanation()).contains("ok never written");
    }

    private static History registerHistory(long seed, boolean plantABadRead) {
        History history = History.on(new VirtualClock());
        SplittableRandom random = new SplittableRandom(seed);
        Object register = null;
        int clients = 5;
        History.Call[] calls = new History.Call[clients];
        Object[] inputs = new Object[clients];
        Object[] outputs = new Object[clients];
        boolean[] applied = new boolean[clients];
        boolean planted = !plantABadRead;
        int invoked = 0;
        int open = 0;
        while (invoked < 10_000 || open > 0) {
            int c = random.nextInt(clients);
            if (calls[c] == null) {
                if (invoked == 10_000) {
                    continue;
                }
                inputs[c] = random.nextInt(3) == 0 ? new Write(random.nextInt(4)) : new Read();
                calls[c] = history.invoke("client-" + c, inputs[c]);
                applied[c] = false;
                invoked++;
                open++;
            } else if (!applied[c]) {
                if (inputs[c] instanceof Write w) {
                    register = w.value();
                    outputs[c] = null;
                } else if (!planted && invoked > 5_000) {
                    outputs[c] = "never written";
                    planted = true;
                } else {
                    outputs[c] = register;
                }
                applied[c] = true;
            } else {
                calls[c].ok(outputs[c]);
                calls[c] = null;
                open--;
            }
        }
        return history;
    }
}
