package io.switchboard.app.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.switchboard.app.config.NodeConfig;
import java.util.Iterator;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Switches the node's log lines to the configured format ({@code log.format} / {@code SWITCHBOARD_LOG_FORMAT}):
 * text as {@code logback.xml} sets it, or one JSON object a line (logstash-logback-encoder: {@code @timestamp},
 * {@code level}, {@code logger_name}, {@code thread_name}, {@code message}, {@code stack_trace}). What the lines
 * say is the same either way: the code never logs a token, a secret or a message body.
 */
public final class LogFormats {
    private LogFormats() {}

    public static void apply(NodeConfig.LogFormat format) {
        if (format != NodeConfig.LogFormat.JSON) return;
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                appender.stop();
                appender.setEncoder(json(context));
                appender.start();
            }
        }
    }

    /** The JSON encoder, started: one object a line. */
    public static Encoder<ILoggingEvent> json(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
