package io.switchboard.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.switchboard.store.Numbers;
import io.switchboard.store.Project;
import io.switchboard.store.Usage;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A number's usage per UTC day: messages sent to the network, messages received, and the delivered and read reports
 * that moved a message forward. The date range is the page: at most {@link #MAX_DAYS} days a call, every day of it
 * listed (zeros included).
 */
final class UsageRoutes {
    static final int MAX_DAYS = 366;
    private static final int DEFAULT_DAYS = 30;

    private final Numbers numbers;
    private final Usage usage;
    private final Tenants tenants;
    private final Requests requests;
    private final Clock clock;

    UsageRoutes(Numbers numbers, Usage usage, Tenants tenants, Requests requests, Clock clock) {
        this.numbers = numbers;
        this.usage = usage;
        this.tenants = tenants;
        this.requests = requests;
        this.clock = clock;
    }

    void addTo(Javalin server) {
        server.get("/v1/numbers/{number}/usage", this::usage);
    }

    /** {@code ?from=2026-03-01&to=2026-03-31} (UTC dates, both included; by default the last 30 days to today). */
    private void usage(Context ctx) {
        Project project = tenants.project(ctx);
        String number = ctx.pathParam("number");
        if (numbers.find(number).filter(n -> n.projectId().equals(project.id())).isEmpty()) {
            throw ApiError.notFound("number " + number);
        }
        LocalDate to = date(ctx, "to", LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        LocalDate from = date(ctx, "from", to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) throw ApiError.badRequest("invalid_range", "from must not be after to", "from");
        if (from.plusDays(MAX_DAYS - 1).isBefore(to)) {
            throw ApiError.badRequest("invalid_range", "at most " + MAX_DAYS + " days a call", "from");
        }
        Map<LocalDate, Usage.Day> stored = new HashMap<>();
        for (Usage.Day day : usage.days(number, from, to)) stored.put(day.date(), day);

        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("number", number).put("from", from.toString()).put("to", to.toString());
        ArrayNode days = answer.putArray("days");
        long[] total = new long[Usage.Kind.values().length];
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            Usage.Day day = stored.get(date);
            ObjectNode item = days.addObject().put("date", date.toString());
            for (Usage.Kind kind : Usage.Kind.values()) {
                long count = day == null ? 0 : day.count(kind);
                item.put(label(kind), count);
                total[kind.ordinal()] += count;
            }
        }
        ObjectNode totals = answer.putObject("total");
        for (Usage.Kind kind : Usage.Kind.values()) totals.put(label(kind), total[kind.ordinal()]);
        requests.send(ctx, 200, answer);
    }

    private static String label(Usage.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static LocalDate date(Context ctx, String name, LocalDate fallback) {
        String text = ctx.queryParam(name);
        if (text == null) return fallback;
        try {
            LocalDate date = LocalDate.parse(text);
            if (date.getYear() >= 1970 && date.getYear() <= 9999) return date;
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw ApiError.badRequest("invalid_date", name + " must be a date from 1970-01-01 to 9999-12-31, such as "
                + "2026-03-01", name);
    }
}
