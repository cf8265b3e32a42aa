package io.loomas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeedRangeTest {
    @Test
    void theShardsOfARangeAreTheRangeEachSeedOnceInSlicesWithinOneOfEachOther() {
        for (long size : new long[] {0, 1, 2, 7, 20, 100, 1_000_003}) {
            for (int count = 1; count <= 17; count++) {
                SeedRange whole = SeedRange.of(1_000, Math.max(1, size)).split(size)[0];
                long next = whole.from();
                long smallest = Long.MAX_VALUE;
                long largest = 0;
                for (int i = 0; i < count; i++) {
                    SeedRange s = whole.shard(i, count);
                    assertThat(s.from()).as("shard %d/%d of %s starts where the last ended", i, count, whole).isEqualTo(next);
                    next = s.to();
                    smallest = Math.min(smallest, s.size());
                    largest = Math.max(largest, s.size());
                }
                assertThat(next).as("the shards of %s end where it ends", whole).isEqualTo(whole.to());
                assertThat(largest - smallest).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void aShardOfTheLargestRangesDoesNotOverflow() {
        SeedRange huge = new SeedRange(0, Long.MAX_VALUE);
        assertThat(huge.shard(2, 3).to()).isEqualTo(Long.MAX_VALUE);
        assertThat(huge.shard(1, 3).from()).isEqualTo(Long.MAX_VALUE / 3 + (Long.MAX_VALUE % 3) / 3);
        assertThatThrownBy(() -> SeedRange.of(Long.MAX_VALUE - 1, 5)).hasMessageContaining("past the largest seed");
    }

    @Test
    void aShardThatDoesNotExistSaysHowToNameOne() {
        assertThatThrownBy(() -> SeedRange.of(0, 10).shard(4, 4)).hasMessageContaining("shard 4/4 does not exist")
                .hasMessageContaining("--shard 0/4");
        assertThatThrownBy(() -> SeedRange.of(0, 0)).hasMessageContaining("at least one seed");
    }
}
