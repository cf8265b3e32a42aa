package io.loomas.examples.lockservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock table alone: grants, fencing tokens, and leases judged on the leader's time in its term. */
class LockTableTest {
    private final LockTable table = new LockTable();

    private List<Object> apply(Object... command) {
        return table.apply(List.of(command));
    }

    @Test
    void aLockIsGrantedOnceAndEachGrantHasAGreaterToken() {
        assertThat(apply("acquire", 1, 0, "db", "alice", 1000)).containsExactly("granted", 1L);
        assertThat(apply("acquire", 1, 10, "db", "bob", 1000)).containsExactly("held", "alice");
        assertThat(apply("release", 1, 20, "db", 7)).containsExactly("wrong-token");
        assertThat(apply("release", 1, 20, "db", 1)).containsExactly("released");
        assertThat(apply("release", 1, 20, "db", 1)).containsExactly("not-held");
        assertThat(apply("acquire", 1, 30, "db", "bob", 1000)).containsExactly("granted", 2L);
        assertThat(apply("acquire", 1, 30, "other", "bob", 1000)).containsExactly("granted", 1L);
        assertThat(apply("status", 1, 40, "db")).containsExactly("status", "bob", 2L);
    }

    @Test
    void aLeaseEndsAfterItsTtlAndTheMarginOnTheSameLeadersClock() {
        apply("acquire", 3, 1000, "db", "alice", 2000);
        long end = 1000 + 2000 + LockTable.MARGIN_MILLIS;
        assertThat(apply("acquire", 3, end, "db", "bob", 2000)).containsExactly("held", "alice");
        assertThat(apply("acquire", 3, end + 1, "db", "bob", 2000)).containsExactly("granted", 2L);
    }

    @Test
    void aRenewalMovesTheLeasesEnd() {
        apply("acquire", 3, 0, "db", "alice", 2000);
        assertThat(apply("renew", 3, 2000, "db", 1, 2000)).containsExactly("renewed");
        assertThat(apply("acquire", 3, 4000, "db", "bob", 2000)).containsExactly("held", "alice");
        assertThat(apply("renew", 3, 4000, "db", 9, 2000)).containsExactly("wrong-token");
        assertThat(apply("renew", 3, 4000, "db-x", 1, 2000)).containsExactly("not-held");
    }

    /** A new leader's clock says nothing about the old one's: it waits a whole lease from its own start. */
    @Test
    void aNewLeaderHoldsAnOldGrantForAWholeLeaseOfItsOwnTime() {
        apply("acquire", 3, 50_000, "db", "alice", 2000); // late in term 3
        long lease = 2000 + LockTable.MARGIN_MILLIS;
        assertThat(apply("acquire", 4, lease, "db", "bob", 2000)).containsExactly("held", "alice");
        assertThat(apply("acquire", 4, lease + 1, "db", "bob", 2000)).containsExactly("granted", 2L);
    }

    @Test
    void noOpsChangeNothing() {
        assertThat(apply("noop")).containsExactly("ok");
    }
}
