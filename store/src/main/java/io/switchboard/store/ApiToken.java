package io.switchboard.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One of a project's tokens, as listed: never the token itself, which only its maker saw. {@code lastUsedAt} is
 * null until the token was used, and precise to about a minute.
 */
public record ApiToken(String id, String projectId, String name, Set<Scope> scopes, long createdAt, Long lastUsedAt) {

    public ApiToken {
        if (scopes.isEmpty()) throw new IllegalArgumentException("a token needs at least one scope");
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes)); // in declaration order
    }

    /** The token a project is made with: every scope, so the project can make the others. */
    public static ApiToken first(String projectId, long createdAt) {
        return new ApiToken(projectId, projectId, "first", EnumSet.allOf(Scope.class), createdAt, null);
    }

    public boolean allows(Scope scope) {
        return scopes.contains(scope);
    }
}
