package io.switchboard.network.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One set of {@link Counter}s; LongAdder because many connection and timer threads bump them at once. */
final class Counters {
    private final LongAdder[] values = new LongAdder[Counter.values().length];

    Counters() {
        for (int i = 0; i < values.length; i++) {
            values[i] = new LongAdder();
        }
    }

    void add(Counter counter) {
        values[counter.ordinal()].increment();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> map = new LinkedHashMap<>();
        for (Counter c : Counter.values()) {
            map.put(c.key(), values[c.ordinal()].sum());
        }
        return map;
    }
}
