package io.switchboard.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.LogCapture;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value from a request that reaches a text log line (a JSON field name, here) cannot start a line of its own: its
 * line breaks and control characters are escaped, by the node's shipped logging configuration and the tests' alike.
 */
class LogLinesCannotBeForgedTest {
    private static final String FORGED_LINE = "00:00:00.000 ERROR Api - FORGED";

    @TempDir Path tempDir;

    @Test
    void aFieldNameWithLineBreaksStaysOnItsOwnLogLine() throws Exception {
        try (LogCapture text = LogCapture.text();
             Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults())) {
            String token = harness.project("Shop");
            harness.number(token, "+919800000001", 100);
            Map<String, Object> message = new HashMap<>(Harness.text("+919800000001", "+15550000042", "hi"));
            message.put("x\r\n" + FORGED_LINE + "\u001b[2J", 1);
            Http.Answer answer = new Http(harness.node.httpPort()).call("POST", "/v1/messages", token, message);
            assertThat(answer.status()).isEqualTo(400);

            assertThat(text.output()).contains("FORGED").contains("\\r\\n").doesNotContain("\u001b");
            assertThat(text.output().lines()).noneMatch(line -> line.startsWith(FORGED_LINE));
        }
    }

    @Test
    void theShippedConfigurationEscapesLineBreaks() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        // The shipped console line, written here instead of to stderr: its pattern, with the rules the file declares.
        String pattern = ((PatternLayoutEncoder) ((OutputStreamAppender<ILoggingEvent>) context
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).getEncoder()).getPattern();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> captured = new OutputStreamAppender<>();
        captured.setContext(context);
        captured.setEncoder(encoder);
        captured.setOutputStream(lines);
        captured.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);

        context.getLogger("io.switchboard.api.Api").warn("field={}", "x\n" + FORGED_LINE);
        context.stop();
        String logged = lines.toString(StandardCharsets.UTF_8);
        assertThat(logged.lines()).hasSize(1).noneMatch(line -> line.startsWith(FORGED_LINE));
        assertThat(logged).contains("field=x\\n" + FORGED_LINE);
    }
}
