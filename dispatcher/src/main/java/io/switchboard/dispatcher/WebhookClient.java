package io.switchboard.dispatcher;

import io.switchboard.dispatcher.signing.Signer;
import io.switchboard.outbound.OutboundHttp;
import io.switchboard.outbound.OutboundUrls;
import io.switchboard.store.Project;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * POSTs signed JSON to customers' endpoints. Every call carries the Standard Webhooks headers ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}, signed with each of the project's valid secrets); a
 * Cloud-format call also carries Meta's {@code X-Hub-Signature-256}.
 */
final class WebhookClient implements AutoCloseable {
    /** The longest Retry-After we honour: a server cannot park its calls for days by asking. */
    private static final long MAX_RETRY_AFTER_MILLIS = Duration.ofHours(1).toMillis();
    /**
     * The most of an answer read: the instant replies in it (a text is at most 4,096 characters) fit by the hundred;
     * a larger answer fails the call, as one that broke off does.
     */
    private static final int MAX_ANSWER_BYTES = 1_048_576;

    private final OutboundHttp http;
    private final Duration timeout;
    private final Function<String, Signer> signers;
    private final LongSupplier clock;

    WebhookClient(Duration timeout, int connectionsPerEndpoint, OutboundUrls urls, Function<String, Signer> signers,
                  LongSupplier clock) {
        this.timeout = timeout;
        this.signers = signers;
        this.clock = clock;
        this.http = new OutboundHttp(urls, "Switchboard-Webhooks/1", timeout, connectionsPerEndpoint);
    }

    Answer post(Project project, String url, String id, byte[] body) {
        Signer signer = signers.apply(project.id());
        String timestamp = Long.toString(clock.getAsLong() / 1000);
        Request request = http.request(URI.create(url), timeout).method(HttpMethod.POST)
                .headers(headers -> {
                    headers.put("webhook-id", id);
                    headers.put("webhook-timestamp", timestamp);
                    headers.put("webhook-signature", signer.standardSignature(id, Long.parseLong(timestamp), body));
                    if (PayloadFormat.CLOUD.equals(project.webhookFormat())) {
                        headers.put("X-Hub-Signature-256", signer.hubSignature(body));
                    }
                })
                .body(new BytesRequestContent("application/json", body));
        try {
            OutboundHttp.Received response = http.exchange(request, MAX_ANSWER_BYTES);
            return new Answer(response.status(), response.body(),
                    retryAfterMillis(response.headers().get(HttpHeader.RETRY_AFTER)), null);
        } catch (IOException | OutboundUrls.Refused e) {
            return Answer.unreachable(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (TimeoutException e) {
            return Answer.unreachable("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.unreachable("interrupted");
        }
    }

    /**
     * Meta's verification of a callback URL: {@code GET url?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...}
     * with a fresh random challenge; true when the endpoint answers 200 with the challenge as its body.
     */
    boolean verifiesAsMeta(String url, String verifyToken) {
        String challenge = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE));
        String query = "hub.mode=subscribe&hub.verify_token=" + URLEncoder.encode(verifyToken, StandardCharsets.UTF_8)
                + "&hub.challenge=" + challenge;
        try {
            OutboundHttp.Received response = http.exchange(http.request(URI.create(url + (url.contains("?") ? "&" : "?")
                    + query), timeout), MAX_ANSWER_BYTES);
            return response.status() == 200
                    && challenge.equals(new String(response.body(), StandardCharsets.UTF_8).trim());
        } catch (IOException | TimeoutException | OutboundUrls.Refused e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Retry-After as seconds or an HTTP date; 0 when absent or unreadable. */
    private long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) return 0;
        long millis;
        try {
            millis = Long.parseLong(value.trim()) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                millis = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli()
                        - clock.getAsLong();
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
        return Math.clamp(millis, 0, MAX_RETRY_AFTER_MILLIS);
    }

    @Override
    public void close() {
        http.close();
    }
}
