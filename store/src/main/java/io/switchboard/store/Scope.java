package io.switchboard.store;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/** What a project token may do: send (and cancel) messages, read, or administer the project. */
public enum Scope {
    SEND, READ, ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label)) return Optional.of(scope);
        }
        return Optional.empty();
    }

    /** As stored: the labels in declaration order, comma-separated ({@code send,read,admin}). */
    static String join(Set<Scope> scopes) {
        StringJoiner joined = new StringJoiner(",");
        for (Scope scope : EnumSet.copyOf(scopes)) joined.add(scope.label());
        return joined.toString();
    }

    static Set<Scope> split(String stored) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : stored.split(",")) {
            scopes.add(parse(label).orElseThrow(() -> new IllegalStateException("unknown scope in the store: " + label)));
        }
        return scopes;
    }
}
