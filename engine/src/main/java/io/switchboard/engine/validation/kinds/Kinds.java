package io.switchboard.engine.validation.kinds;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The message types {@code POST /v1/messages} takes, each with its rules, shaped like the Cloud API's. */
public final class Kinds {
    private static final Map<String, Kind> BY_TYPE = Map.ofEntries(
            Map.entry("text", new TextKind()),
            Map.entry("image", MediaKind.IMAGE),
            Map.entry("video", MediaKind.VIDEO),
            Map.entry("audio", MediaKind.AUDIO),
            Map.entry("document", MediaKind.DOCUMENT),
            Map.entry("sticker", MediaKind.STICKER),
            Map.entry("location", new LocationKind()),
            Map.entry("contacts", new ContactsKind()),
            Map.entry("interactive", new InteractiveKind()),
            Map.entry("template", new TemplateKind()),
            Map.entry("reaction", new ReactionKind()));

    public static final Set<String> TYPES = BY_TYPE.keySet();

    private Kinds() {}

    public static Optional<Kind> of(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }
}
