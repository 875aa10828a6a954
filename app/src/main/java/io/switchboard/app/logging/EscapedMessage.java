package io.switchboard.app.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} for text log lines with line breaks and other control characters escaped (a line feed as {@code \n},
 * an escape character as its code point...), so a value from a request (a JSON field name, a path) cannot start a forged log line or
 * drive a terminal. Named in {@code logback.xml} in place of Logback's own {@code %msg}; JSON lines escape anyway.
 */
public final class EscapedMessage extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return escape(super.convert(event));
    }

    static String escape(String message) {
        if (message == null || message.chars().noneMatch(EscapedMessage::control)) return message;
        StringBuilder escaped = new StringBuilder(message.length() + 16);
        message.chars().forEach(c -> {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (control(c)) escaped.append(String.format("\\u%04x", c));
                    else escaped.append((char) c);
                }
            }
        });
        return escaped.toString();
    }

    private static boolean control(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
    }
}
