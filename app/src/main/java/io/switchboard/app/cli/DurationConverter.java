package io.switchboard.app.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads a duration option: 150ms, 60s, 2m, 1m30s, or a plain number of seconds. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        Duration duration = value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value))
                : value.matches("\\d+MS") ? Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)))
                : Duration.parse("PT" + value);
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("a duration must be positive");
        return duration;
    }
}
