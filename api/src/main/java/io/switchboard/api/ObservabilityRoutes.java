package io.switchboard.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.metrics.health.Readiness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The node's own health and figures: {@code /ready} (readiness: the store answers and every shard worker runs),
 * {@code /metrics} (Prometheus text format; the admin token unless the operator opened it), and the dashboard.
 * {@code /health} (liveness) stays with the API itself.
 */
final class ObservabilityRoutes {
    private final Api.Observability observability;
    private final Tenants tenants;
    private final Requests requests;

    ObservabilityRoutes(Api.Observability observability, Tenants tenants, Requests requests) {
        this.observability = observability;
        this.tenants = tenants;
        this.requests = requests;
    }

    void addTo(Javalin server) {
        server.get("/ready", this::ready);
        server.get("/metrics", this::metrics);
        new DashboardRoutes(observability, tenants, requests).addTo(server);
    }

    /** 200 when ready, else 503 with what is not; no token needed, and it names no number or project. */
    private void ready(Context ctx) {
        Readiness.Report report = observability.readiness().check();
        var body = requests.json().createObjectNode().put("status", report.ready() ? "ready" : "not_ready");
        if (!report.ready()) report.notReady().forEach(body.putArray("not_ready")::add);
        requests.send(ctx, report.ready() ? 200 : 503, body);
    }

    private void metrics(Context ctx) throws IOException {
        if (!observability.metricsOpen()) tenants.requireAdmin(ctx.header("Authorization"));
        ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
        observability.metrics().scrape(text);
        ctx.status(200).contentType(observability.metrics().contentType()).result(text.toByteArray());
    }
}
