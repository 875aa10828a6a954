package io.switchboard.api;

import io.switchboard.store.Project;
import io.switchboard.store.Projects;
import io.switchboard.store.crypto.Tokens;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling: the admin (one token, for project management) or a project (its own token). Tokens are looked
 * up by their hash; known hashes are cached, so a request costs one SHA-256 and no database read.
 */
final class Tenants {
    private final Projects projects;
    private final String adminTokenHash;
    private final Map<String, Project> byTokenHash = new ConcurrentHashMap<>();

    Tenants(Projects projects, String adminTokenHash) {
        this.projects = projects;
        this.adminTokenHash = adminTokenHash;
    }

    void requireAdmin(String authorization) {
        String token = bearer(authorization);
        if (token == null || !Tokens.sameHash(Tokens.hash(token), adminTokenHash)) throw ApiError.unauthorized();
    }

    Project project(String authorization) {
        String token = bearer(authorization);
        if (token == null) throw ApiError.unauthorized();
        String hash = Tokens.hash(token);
        Project cached = byTokenHash.get(hash);
        if (cached != null) return cached;
        Optional<Project> project = projects.byTokenHash(hash);
        project.ifPresent(p -> byTokenHash.put(hash, p));
        return project.orElseThrow(ApiError::unauthorized);
    }

    /** Serves the project's new settings to requests from now on. */
    void update(Project project) {
        byTokenHash.replaceAll((hash, cached) -> cached.id().equals(project.id()) ? project : cached);
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
