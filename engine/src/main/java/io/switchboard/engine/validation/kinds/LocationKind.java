package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.Set;

/**
 * {@code "location":{"latitude","longitude","name","address"}}. Meta's location messages page: latitude and longitude
 * required, "in decimal degrees" (its own example sends them as strings, so a number or a numeric string is taken);
 * name and address optional. The ranges are the degrees' own: latitude -90 to 90, longitude -180 to 180.
 */
final class LocationKind implements Kind {
    private static final Set<String> FIELDS = Set.of("latitude", "longitude", "name", "address");

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, FIELDS);
        degrees(value, "latitude", path, 90);
        degrees(value, "longitude", path, 180);
        Fields.optionalText(value, "name", path);
        Fields.optionalText(value, "address", path);
    }

    private static void degrees(JsonNode location, String name, String path, double limit) {
        String field = Fields.path(path, name);
        JsonNode value = location.get(name);
        if (value == null || value.isNull()) throw Fields.missing(field);
        double degrees;
        if (value.isNumber()) {
            degrees = value.asDouble();
        } else if (value.isTextual()) {
            try {
                degrees = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidInput("invalid_type", field + " must be a number of decimal degrees", field);
            }
        } else {
            throw new InvalidInput("invalid_type", field + " must be a number of decimal degrees", field);
        }
        if (!(degrees >= -limit && degrees <= limit)) { // also refuses NaN
            throw new InvalidInput("out_of_range", field + " is " + value.asText() + "; it must be from " + (int) -limit
                    + " to " + (int) limit, field);
        }
    }
}
