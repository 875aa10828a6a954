package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.store.CloudUpstream;
import io.switchboard.store.crypto.Tokens;
import io.switchboard.store.crypto.Vault;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import static io.switchboard.api.Requests.requiredText;

/**
 * A number's {@code upstream} object of {@code POST /v1/numbers} and {@code PATCH /v1/numbers/{number}}: checked
 * (every error names its field, {@code upstream.base_url} ...), its access token and app secret sealed under the
 * master key, its verify token hashed. Answered back without any of the three.
 */
final class UpstreamInput {
    /** Where Meta's webhooks for every connected number come (the app's callback URL is this node's address and it). */
    static final String WEBHOOK_PATH = "/upstream/cloud/webhook";
    private static final String PREFIX = "upstream.";
    private static final String DEFAULT_VERSION = "v21.0";
    private static final Set<String> FIELDS = Set.of("kind", "base_url", "api_version", "phone_number_id", "waba_id",
            "access_token", "app_secret", "verify_token");
    private static final Pattern VERSION = Pattern.compile("v\\d{1,3}\\.\\d{1,3}");
    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("\\d{1,32}");

    private UpstreamInput() {}

    static CloudUpstream parse(JsonNode upstream, String number, String projectId, Api.Parts parts) {
        if (!upstream.isObject()) {
            throw ApiError.badRequest("invalid_upstream", "upstream must be an object, or null to use the network", "upstream");
        }
        for (Iterator<String> names = upstream.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) throw ApiError.badRequest("unknown_field", PREFIX + name + " is not a field of upstream", PREFIX + name);
        }
        if (!CloudUpstream.KIND.equals(requiredText(upstream, PREFIX, "kind", 16))) {
            throw ApiError.badRequest("invalid_upstream", "upstream.kind must be cloud", PREFIX + "kind");
        }
        String baseUrl = requiredText(upstream, PREFIX, "base_url", OutboundUrls.MAX_LENGTH);
        try {
            parts.webhooks().urls().check(baseUrl);
        } catch (OutboundUrls.Refused refused) {
            throw ApiError.badRequest(refused.code(), "upstream.base_url: " + refused.getMessage(), PREFIX + "base_url");
        }
        String version = upstream.has("api_version") ? requiredText(upstream, PREFIX, "api_version", 16) : DEFAULT_VERSION;
        if (!VERSION.matcher(version).matches()) {
            throw ApiError.badRequest("invalid_upstream", "upstream.api_version must look like v21.0", PREFIX + "api_version");
        }
        String phoneNumberId = requiredText(upstream, PREFIX, "phone_number_id", 32);
        if (!PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            throw ApiError.badRequest("invalid_upstream", "upstream.phone_number_id must be Meta's id: digits only",
                    PREFIX + "phone_number_id");
        }
        String wabaId = upstream.has("waba_id") ? requiredText(upstream, PREFIX, "waba_id", 32) : "";
        if (!wabaId.isEmpty() && !PHONE_NUMBER_ID.matcher(wabaId).matches()) {
            throw ApiError.badRequest("invalid_upstream", "upstream.waba_id must be Meta's id: digits only",
                    PREFIX + "waba_id");
        }
        Vault vault = parts.vault();
        return new CloudUpstream(number, projectId, baseUrl, version, phoneNumberId, wabaId,
                vault.sealSecret(CloudUpstream.owner(number, "access_token"), requiredText(upstream, PREFIX, "access_token", 4_096)),
                vault.sealSecret(CloudUpstream.owner(number, "app_secret"), requiredText(upstream, PREFIX, "app_secret", 256)),
                Tokens.hash(requiredText(upstream, PREFIX, "verify_token", 256)), parts.clock().millis());
    }

    /** The upstream as the API shows it: where it sends and where Meta's webhooks come, never a secret. */
    static void show(ObjectNode number, CloudUpstream upstream) {
        ObjectNode shown = number.putObject("upstream");
        shown.put("kind", CloudUpstream.KIND);
        shown.put("base_url", upstream.baseUrl());
        shown.put("api_version", upstream.apiVersion());
        shown.put("phone_number_id", upstream.phoneNumberId());
        if (!upstream.wabaId().isEmpty()) shown.put("waba_id", upstream.wabaId());
        shown.put("webhook_path", WEBHOOK_PATH);
    }
}
