package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Duration options as written on the command line. */
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsMillisecondsSecondsMinutesAndPlainSeconds() {
        assertThat(converter.convert("150ms")).isEqualTo(Duration.ofMillis(150));
        assertThat(converter.convert("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(converter.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("20")).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> converter.convert("0ms")).isInstanceOf(IllegalArgumentException.class);
    }
}
