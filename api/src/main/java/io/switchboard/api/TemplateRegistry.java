package io.switchboard.api;

import io.switchboard.store.MessageTemplate;
import io.switchboard.store.MessageTemplates;
import io.switchboard.store.Upstreams;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The projects' message templates as their sends are checked against them, as Meta checks a send: a number on Meta's
 * Cloud API is checked by Meta; a number on the simulated network may send only its project's approved templates,
 * once the project has any (a project that registered none sends any, so the test bench works without a registry).
 * What a project has is cached for {@link #CACHED}, so that a campaign's sends cost no store read each: a template
 * added or deleted on this node counts at once, on the cluster's other nodes within that time.
 */
public final class TemplateRegistry {
    static final Duration CACHED = Duration.ofSeconds(5);
    private final MessageTemplates templates;
    private final Upstreams upstreams;
    private final ConcurrentHashMap<String, Known> byProject = new ConcurrentHashMap<>();

    /** A project's templates as last read: whether it has any, its approved ones, and its numbers on Meta. */
    private record Known(long readAtNanos, boolean any, Set<String> approved, Set<String> onMeta) {}

    public TemplateRegistry(MessageTemplates templates, Upstreams upstreams) {
        this.templates = templates;
        this.upstreams = upstreams;
    }

    MessageTemplates store() {
        return templates;
    }

    /** Whether the project's number {@code from} may send the template {@code name} in {@code language}. */
    boolean allows(String projectId, String from, String name, String language) {
        Known known = byProject.compute(projectId, (id, cached) -> cached != null
                && System.nanoTime() - cached.readAtNanos() < CACHED.toNanos() ? cached : read(id));
        return known.onMeta().contains(from) || !known.any() || known.approved().contains(key(name, language));
    }

    /** The project's templates changed here: its next send reads them anew. */
    void changed(String projectId) {
        byProject.remove(projectId);
    }

    private Known read(String projectId) {
        List<MessageTemplate> all = templates.all(projectId);
        return new Known(System.nanoTime(), !all.isEmpty(), all.stream().filter(MessageTemplate::approved)
                .map(t -> key(t.name(), t.language())).collect(Collectors.toUnmodifiableSet()),
                Set.copyOf(upstreams.ofProject(projectId).keySet()));
    }

    private static String key(String name, String language) {
        return name + "/" + language;
    }
}
