package io.switchboard.store;

import java.util.Locale;
import java.util.Optional;

/** Outgoing priority levels; lower rank goes first, strictly. */
public enum Priority {
    URGENT, HIGH, NORMAL, LOW;

    public int rank() {
        return ordinal();
    }

    public static Priority ofRank(int rank) {
        return values()[rank];
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Priority> parse(String label) {
        for (Priority priority : values()) {
            if (priority.label().equals(label)) return Optional.of(priority);
        }
        return Optional.empty();
    }
}
