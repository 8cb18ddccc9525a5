package io.github.alloclab.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RegionTableTest {

    @Test
    void findsTheRegionOfEveryAddressAgainstATreeMap() {
        RegionTable table = new RegionTable();
        TreeMap<Long, Long> model = new TreeMap<>();
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            long start = 0x1000L * random.nextInt(10_000);
            long length = 0x1000L * (1 + random.nextInt(4));
            var below = model.floorEntry(start + length - 1);
            boolean overlaps = below != null && below.getKey() + below.getValue() > start;
            if (overlaps) {
                assertThatThrownBy(() -> table.insert(start, length, 0)).isInstanceOf(IllegalStateException.class);
            } else {
                table.insert(start, length, start);
                model.put(start, length);
            }
            if (i % 7 == 0 && table.size() > 0) {
                int victim = random.nextInt(table.size());
                model.remove(table.start(victim));
                table.remove(victim);
            }
        }
        for (int probe = 0; probe < 20_000; probe++) {
            long address = (long) random.nextInt(10_005 * 0x1000);
            var e = model.floorEntry(address);
            int index = table.find(address);
            if (e != null && address < e.getKey() + e.getValue()) {
                assertThat(index).isNotNegative();
                assertThat(table.start(index)).isEqualTo(e.getKey());
                assertThat(table.word(index)).isEqualTo(e.getKey());
            } else {
                assertThat(index).isEqualTo(-1);
            }
        }
        for (int i = 1; i < table.size(); i++) {
            assertThat(table.start(i)).isGreaterThanOrEqualTo(table.end(i - 1));
        }
    }
}
