package io.switchboard.network.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of the counters. Each map holds every {@link Counter#key()} plus the gauges {@code queued} (items
 * waiting for credit) and {@code in_flight} (items sent, not yet acked).
 */
public record SimStats(Map<String, Long> totals, Map<String, Map<String, Long>> numbers) {

    public long get(Counter counter) {
        return totals.getOrDefault(counter.key(), 0L);
    }

    public long get(String number, Counter counter) {
        return numbers.getOrDefault(number, Map.of()).getOrDefault(counter.key(), 0L);
    }

    public long queued() {
        return totals.getOrDefault("queued", 0L);
    }

    /** The JSON shape: the totals at top level and {@code "numbers": {number: {...}}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>(totals);
        json.put("numbers", numbers);
        return json;
    }
}
