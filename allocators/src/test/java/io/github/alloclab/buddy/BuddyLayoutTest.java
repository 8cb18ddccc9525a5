package io.github.alloclab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Exhaustive checks of the buddy arithmetic over small domains: every size, every offset, every order. */
class BuddyLayoutTest {

    @Test
    void everySizeMapsToTheSmallestOrderThatHoldsIt() {
        for (int minShift = 4; minShift <= 6; minShift++) {
            for (long n = 0; n <= 1L << (minShift + 12); n++) {
                int k = BuddyLayout.orderFor(n, minShift);
                assertThat(BuddyLayout.blockSize(k, minShift)).as("order(%d) holds it", n).isGreaterThanOrEqualTo(n);
                if (k > 0) {
                    assertThat(BuddyLayout.blockSize(k - 1, minShift)).as("order(%d) - 1 is too small", n).isLessThan(n);
                }
            }
        }
    }

    @Test
    void buddiesPairUpInsideTheirParent() {
        int minShift = 4;
        int maxOrder = 10; // an arena of 1024 minimum blocks
        long arena = BuddyLayout.blockSize(maxOrder, minShift);
        for (int k = 0; k < maxOrder; k++) {
            long size = BuddyLayout.blockSize(k, minShift);
            for (long off = 0; off < arena; off += size) {
                long buddy = BuddyLayout.buddyOf(off, k, minShift);
                long parent = BuddyLayout.parentOf(off, k, minShift);
                assertThat(BuddyLayout.buddyOf(buddy, k, minShift)).as("buddy of the buddy of %d", off).isEqualTo(off);
                assertThat(buddy).isNotEqualTo(off).isBetween(0L, arena - size);
                assertThat(buddy % size).isZero();
                assertThat(BuddyLayout.parentOf(buddy, k, minShift)).as("same parent").isEqualTo(parent);
                assertThat(parent % (2 * size)).as("the parent is aligned to its own size").isZero();
                assertThat(Math.min(off, buddy)).isEqualTo(parent);
                assertThat(Math.abs(off - buddy)).isEqualTo(size);
                assertThat(BuddyLayout.isLowerHalf(off, k, minShift)).isNotEqualTo(BuddyLayout.isLowerHalf(buddy, k, minShift));
                assertThat(BuddyLayout.isLowerHalf(off, k, minShift)).isEqualTo(off == parent);
            }
        }
    }

    @Test
    void everyOffsetLiesInExactlyOneBlockPerOrder() {
        int minShift = 4;
        long arena = BuddyLayout.blockSize(8, minShift);
        for (long off = 0; off < arena; off += 16) {
            long holder = off;
            for (int k = 0; k < 8; k++) {
                long size = BuddyLayout.blockSize(k, minShift);
                assertThat(off & -size).as("block of order %d holding %d", k, off).isEqualTo(holder);
                holder = BuddyLayout.parentOf(holder, k, minShift);
            }
        }
    }

    @Test
    void tagsRoundTripAndHeadersRejectOtherAddresses() {
        for (int state : new int[] {BuddyLayout.FREE, BuddyLayout.ALLOCATED, BuddyLayout.METADATA}) {
            for (int order = 0; order <= BuddyLayout.MAX_ORDER; order++) {
                int tag = BuddyLayout.tag(state, order);
                assertThat(BuddyLayout.isHead(tag)).isTrue();
                assertThat(BuddyLayout.state(tag)).isEqualTo(state);
                assertThat(BuddyLayout.order(tag)).isEqualTo(order);
                assertThat(tag).isBetween(0x80, 0xFF);
                long block = 0x5555_5555_9000L + 16L * order;
                long word = BuddyLayout.headerWord(block, tag);
                assertThat(BuddyLayout.tagOfHeaderWord(block, word)).isEqualTo(tag);
                assertThat(BuddyLayout.tagOfHeaderWord(block + 16, word)).as("another block's header").isZero();
                assertThat(BuddyLayout.tagOfHeaderWord(block, 0)).isZero();
            }
        }
    }
}
