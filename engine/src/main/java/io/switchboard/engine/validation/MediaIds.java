package io.switchboard.engine.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Looks up the uploaded media a message names by {@code id}, for one project: the object to send, with what the
 * network needs to know of the file, or an {@link InvalidInput} naming {@code path.id} when the project has no such
 * media or its type does not fit the message.
 */
@FunctionalInterface
public interface MediaIds {
    ObjectNode attach(String messageType, ObjectNode object, String path);
}
