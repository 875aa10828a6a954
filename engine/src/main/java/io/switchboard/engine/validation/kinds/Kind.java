package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules of one message type: checks the object named after the type (for {@code "type":"image"}, the value of
 * {@code "image"}) and throws an {@code InvalidInput} naming the first field at fault. The object itself is what is
 * stored and sent, unchanged.
 */
@FunctionalInterface
public interface Kind {
    /** @param value the object (null when absent); @param path its JSON path, such as {@code messages[2].image} */
    void check(JsonNode value, String path);
}
