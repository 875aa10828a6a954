package io.switchboard.dispatcher.signing;

import io.switchboard.store.Projects;
import io.switchboard.store.SealedSecrets;
import io.switchboard.store.crypto.Vault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The projects' webhook signing secrets: made, sealed under the master key in the store, opened once into a cached
 * {@link Signer}, and rotated. After a rotation the previous secret keeps signing (a second signature) until its
 * time is up, so receivers can move to the new one without missing a call.
 */
public final class SigningSecrets {
    private final Projects projects;
    private final Vault vault;
    private final LongSupplier clock;
    private final Map<String, Cached> signers = new ConcurrentHashMap<>();

    private record Cached(Signer signer, long validUntil) {}

    public SigningSecrets(Projects projects, Vault vault, LongSupplier clock) {
        this.projects = projects;
        this.vault = vault;
        this.clock = clock;
    }

    /** A new secret for a project being made: the secret to show once, and its sealed form to store. */
    public record NewSecret(String secret, byte[] sealed) {}

    public NewSecret newSecret(String projectId) {
        String secret = Signer.newSecret();
        return new NewSecret(secret, vault.sealSecret(SealedSecrets.owner(projectId), secret));
    }

    /** The signer for the project's calls now: its current secret and, during a rotation, the previous one. */
    public Signer signer(String projectId) {
        Cached cached = signers.get(projectId);
        if (cached == null || clock.getAsLong() >= cached.validUntil()) {
            cached = load(projectId);
            signers.put(projectId, cached);
        }
        return cached.signer();
    }

    /** The project's current secret, as the customer configures it on the receiving side. */
    public String current(String projectId) {
        return vault.openSecret(SealedSecrets.owner(projectId), ensure(projectId).current());
    }

    /** Makes a new current secret; the previous one signs too for {@code keepPrevious}. Answers the new secret. */
    public String rotate(String projectId, Duration keepPrevious) {
        ensure(projectId);
        NewSecret next = newSecret(projectId);
        projects.rotateSecret(projectId, next.sealed(), clock.getAsLong() + keepPrevious.toMillis());
        signers.remove(projectId);
        return next.secret();
    }

    /** The project's secrets changed in the store (through another node): the next call reads them again. */
    public void forget(String projectId) {
        signers.remove(projectId);
    }

    private Cached load(String projectId) {
        SealedSecrets sealed = ensure(projectId);
        List<String> secrets = new ArrayList<>(2);
        secrets.add(vault.openSecret(SealedSecrets.owner(projectId), sealed.current()));
        long now = clock.getAsLong();
        boolean previousValid = sealed.previous() != null && now < sealed.previousUntil();
        if (previousValid) secrets.add(vault.openSecret(SealedSecrets.owner(projectId), sealed.previous()));
        return new Cached(new Signer(secrets), previousValid ? sealed.previousUntil() : Long.MAX_VALUE);
    }

    /** The project's sealed secrets; a project made before signing existed gets its first secret here. */
    private SealedSecrets ensure(String projectId) {
        SealedSecrets sealed = projects.secrets(projectId)
                .orElseThrow(() -> new IllegalArgumentException("no project " + projectId));
        if (sealed.current() != null) return sealed;
        projects.rotateSecret(projectId, newSecret(projectId).sealed(), 0);
        return projects.secrets(projectId).orElseThrow();
    }
}
