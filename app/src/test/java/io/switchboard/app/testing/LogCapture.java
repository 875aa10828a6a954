package io.switchboard.app.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/** What the node logs from now until closed, with Switchboard's loggers at DEBUG, written by an encoder. */
public final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final Logger root;
    private final Logger ours;
    private final Level before;

    private LogCapture(Function<LoggerContext, Encoder<ILoggingEvent>> encoder) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.setEncoder(encoder.apply(context));
        appender.setOutputStream(lines);
        appender.start();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ours = context.getLogger("io.switchboard");
        before = ours.getLevel();
        root.addAppender(appender);
        ours.setLevel(Level.DEBUG);
    }

    /** Lines of text: time, level, thread, logger, message and any stack trace. */
    public static LogCapture text() {
        return new LogCapture(context -> {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d %level [%thread] %logger - %msg%n%ex");
            encoder.start();
            return encoder;
        });
    }

    public static LogCapture with(Function<LoggerContext, Encoder<ILoggingEvent>> encoder) {
        return new LogCapture(encoder);
    }

    public String output() {
        return lines.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        ours.setLevel(before);
        appender.stop();
    }
}
