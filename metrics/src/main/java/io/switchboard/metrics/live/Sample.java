package io.switchboard.metrics.live;

import io.switchboard.metrics.shards.ShardPlacement;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The node at one second, as the dashboard shows it: {@code seq} counts the samples, {@code at} is epoch ms.
 * Maps are keyed by the labels the metrics use (kinds, priorities, statuses), so the JSON reads on its own.
 */
public record Sample(long seq, long at, List<NumberFigures> numbers, List<ProjectFigures> projects,
                     List<ShardPlacement> shards) {

    /**
     * One number: its budget; TPS in use per kind over the last second; budget tokens used per kind since the node
     * started; queue depth per priority; incoming items waiting for a token; messages per status reached (outgoing)
     * and received (incoming); shards connected out of all.
     */
    public record NumberFigures(String number, String projectId, int tps, Map<String, Double> tpsInUse,
                                Map<String, Long> budgetUsed, Map<String, Integer> queue, int incomingWaiting,
                                Map<String, Long> outgoing, long received, int shards, int connectedShards) {}

    /** One project: its calls still owed, its dead letters, and delivery latency over the last minute by kind. */
    public record ProjectFigures(String projectId, String name, long webhookBacklog, long deadLetters, Map<String, Latency> latency) {}

    /** Quantiles in seconds over {@code count} deliveries; null when there were none. */
    public record Latency(Double p50, Double p99, long count) {
        static final Latency NONE = new Latency(null, null, 0);

        static Latency of(double p50, double p99, long count) {
            return count == 0 ? NONE : new Latency(p50, p99, count);
        }
    }

    static final Sample EMPTY = new Sample(0, 0, List.of(), List.of(), List.of());

    /** One second of a number's budget: TPS in use per kind (in {@code Kind} order) and the budget then. */
    public record Point(long at, double[] tpsInUse, int tps) {}

    /** What a viewer may see: everything for the admin, one project's numbers and figures for its token. */
    public Sample only(Predicate<String> projectVisible) {
        return new Sample(seq, at, numbers.stream().filter(n -> projectVisible.test(n.projectId())).toList(),
                projects.stream().filter(p -> projectVisible.test(p.projectId())).toList(),
                shards.stream().filter(s -> projectVisible.test(s.projectId())).toList());
    }
}
