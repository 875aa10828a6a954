package io.switchboard.app.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a gauge sampled along a soak grows without bound: after a warm-up sample, the lowest of the last third of
 * the samples is above the highest of the first third by more than the gauge's allowance. A gauge that only moves
 * with the load (a heap between collections, threads that come and go) stays within it; a leak climbs out.
 */
final class GrowthCheck {
    private final String name;
    private final String unit;
    private final double allowance;
    private final List<Double> samples = new ArrayList<>();

    /** @param allowance how far above the first third the last third may stay, in the gauge's unit */
    GrowthCheck(String name, String unit, double allowance) {
        this.name = name;
        this.unit = unit;
        this.allowance = allowance;
    }

    String name() {
        return name;
    }

    String unit() {
        return unit;
    }

    void add(double sample) {
        samples.add(sample);
    }

    /** The samples after the warm-up (the first). */
    private List<Double> settled() {
        return samples.subList(Math.min(1, samples.size()), samples.size());
    }

    double first() {
        return settled().isEmpty() ? 0 : settled().getFirst();
    }

    double last() {
        return settled().isEmpty() ? 0 : settled().getLast();
    }

    boolean grows() {
        List<Double> settled = settled();
        if (settled.size() < 3) return false;
        int third = Math.max(1, settled.size() / 3);
        double firstHighest = settled.subList(0, third).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double lastLowest = settled.subList(settled.size() - third, settled.size()).stream()
                .mapToDouble(Double::doubleValue).min().orElseThrow();
        return lastLowest > firstHighest + allowance;
    }
}
