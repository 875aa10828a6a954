package io.switchboard.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of bad input for {@link MalformedInputPropertyTest}: JSON of every shape and type, valid bodies with one
 * part broken (a wrong type, a missing or unknown field), huge strings, deep nesting, invalid UTF-8, non-objects and
 * random bytes; and path and query values that are anything at all.
 */
final class Malformed {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Strings the API takes somewhere, so random JSON sometimes gets past the first check. */
    private static final List<String> LIKELY = List.of("+919800000001", "+15550000042", "text", "template", "image",
            "interactive", "button", "list", "reply", "send", "read", "admin", "native", "cloud", "urgent",
            "2026-11-21T08:00:00Z", "2026-03-01", "https://example.com/a.png", "http://127.0.0.1:1/x", "", " ", "{{name}}",
            "{{", "msg_0", "evt_", "0000000000000", "\u0000", "\uD83D\uDE00", "null");

    private final List<String> fieldNames;

    /** {@code fieldNames}: the property names the API's schemas use, so random objects look like requests. */
    Malformed(List<String> fieldNames) {
        this.fieldNames = fieldNames;
    }

    /** A body of any kind, often near {@code valid} (may be null when the route has no example). */
    Arbitrary<byte[]> body(JsonNode valid) {
        List<Tuple.Tuple2<Integer, Arbitrary<byte[]>>> kinds = new ArrayList<>(List.of(
                Tuple.of(3, json().map(Malformed::bytes)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.of("", "null", "42", "-1e999", "\"text\"", "[]", "[{}]", "true", "{", "{\"a\":", "}",
                        "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}", "\uFEFF{}").map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, deep())));
        if (valid != null) {
            kinds.add(Tuple.of(6, broken(valid).map(Malformed::bytes)));
            kinds.add(Tuple.of(1, Arbitraries.integers().between(1, 200_000).map(size -> huge(valid, size))));
            kinds.add(Tuple.of(1, invalidUtf8(valid)));
        }
        return Arbitraries.frequencyOf(kinds);
    }

    /**
     * A multipart/form-data upload as its Content-Type and body: the form's fields ({@code fields}, the document's
     * names, and others) and a file part, each with any value, often a likely one; sometimes parts broken or missing,
     * a wrong or absent boundary, or bytes that are no form at all.
     */
    Arbitrary<Tuple.Tuple2<String, byte[]>> multipart(List<String> fields) {
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(LIKELY)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)), Tuple.of(1, Arbitraries.of("image/jpeg", "image/png",
                        "video/mp4", "audio/ogg", "application/pdf", "image/webp", "text/plain", "image/gif", "x/y", ";")));
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(fields)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(8)));
        Arbitrary<List<Tuple.Tuple2<String, String>>> formFields = Combinators.combine(name, value).as(Tuple::of).list().ofMaxSize(5);
        Arbitrary<byte[]> file = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(3_000)),
                Tuple.of(1, Arbitraries.integers().between(0, 300_000).map(size -> new byte[size])));
        Arbitrary<String> fileType = value.injectNull(0.3);
        Arbitrary<Integer> damage = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 5)));
        return Combinators.combine(formFields, file.injectNull(0.15), fileType, damage).as((form, bytes, type, broken) -> {
            String boundary = "b0undary";
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (var field : form) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.get1() + "\"\r\n\r\n"
                        + field.get2() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (bytes != null) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
                        + (type == null ? "" : "Content-Type: " + type + "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(bytes);
                body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            if (broken != 1) body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] out = body.toByteArray();
            return switch (broken) {
                case 2 -> Tuple.of("multipart/form-data", out); // no boundary
                case 3 -> Tuple.of("multipart/form-data; boundary=other", out);
                case 4 -> Tuple.of("multipart/form-data; boundary=" + boundary, java.util.Arrays.copyOf(out, out.length / 2));
                case 5 -> Tuple.of("multipart/form-data; boundary=" + boundary, "not a form".getBytes(StandardCharsets.UTF_8));
                default -> Tuple.of("multipart/form-data; boundary=" + boundary, out);
            };
        });
    }

    /** A path segment or query value: anything, or something the route takes. */
    Arbitrary<String> parameter(String likely) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().ofMinLength(200).ofMaxLength(5_000)),
                Tuple.of(2, Arbitraries.of(LIKELY)),
                Tuple.of(1, Arbitraries.of("-1", "0", "1001", "2147483648", "1e3", "0x10", "9999-12-31", "+10000-01-01",
                        "1969-12-31", "2026-02-30", "..", "%", "%00", "a/b", "a%2Fb")),
                Tuple.of(likely == null ? 0 : 3, Arbitraries.just(likely == null ? "" : likely)));
    }

    /** Any JSON value, a few levels deep. */
    Arbitrary<JsonNode> json() {
        return Arbitraries.recursive(this::leaf, inner -> Arbitraries.oneOf(inner, array(inner), object(inner)), 0, 4);
    }

    private Arbitrary<JsonNode> leaf() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(NODES.nullNode())),
                Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                Tuple.of(2, Arbitraries.integers().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.doubles().map(NODES::numberNode)),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(30).map(NODES::textNode)),
                Tuple.of(3, Arbitraries.of(LIKELY).map(NODES::textNode)));
    }

    private Arbitrary<JsonNode> array(Arbitrary<JsonNode> items) {
        return items.list().ofMaxSize(4).map(list -> {
            ArrayNode array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
    }

    private Arbitrary<JsonNode> object(Arbitrary<JsonNode> values) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(fieldNames), Arbitraries.strings().ofMaxLength(10));
        return Combinators.combine(keys, values).as(Tuple::of).list().ofMaxSize(5).map(entries -> {
            ObjectNode object = NODES.objectNode();
            entries.forEach(entry -> object.set(entry.get1(), entry.get2()));
            return object;
        });
    }

    /** {@code valid} with one of its parts replaced by any value, or removed, or given an extra field. */
    private Arbitrary<JsonNode> broken(JsonNode valid) {
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.of(Change.values()), json())
                .as((pick, change, value) -> change.apply(valid.deepCopy(), pick, value, fieldNames));
    }

    enum Change {
        REPLACE, REMOVE, ADD;

        JsonNode apply(JsonNode copy, int pick, JsonNode value, List<String> names) {
            List<JsonNode> containers = new ArrayList<>();
            collect(copy, containers);
            JsonNode at = containers.get(pick % containers.size());
            if (at instanceof ObjectNode object) {
                List<String> fields = new ArrayList<>();
                object.fieldNames().forEachRemaining(fields::add);
                String field = this == ADD || fields.isEmpty() ? names.get(pick % names.size()) : fields.get(pick % fields.size());
                if (this == REMOVE) object.remove(field);
                else object.set(field, value);
            } else if (at instanceof ArrayNode array) {
                if (this == ADD || array.isEmpty()) array.add(value);
                else if (this == REMOVE) array.remove(pick % array.size());
                else array.set(pick % array.size(), value);
            }
            return copy;
        }

        private static void collect(JsonNode node, List<JsonNode> containers) {
            if (!node.isContainerNode()) return;
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    /** Nesting far past what any request has: arrays or objects, bare or inside a valid-looking field. */
    private static Arbitrary<byte[]> deep() {
        return Combinators.combine(Arbitraries.integers().between(100, 20_000), Arbitraries.of(true, false))
                .as((depth, arrays) -> {
                    String open = arrays ? "[" : "{\"a\":";
                    String close = arrays ? "]" : "}";
                    return ("{\"text\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
                });
    }

    /** {@code valid} with a string of {@code size} characters put in its first string field (or added). */
    private static byte[] huge(JsonNode valid, int size) {
        ObjectNode copy = valid.isObject() ? (ObjectNode) valid.deepCopy() : NODES.objectNode();
        String field = "name";
        for (var entry : copy.properties()) {
            if (entry.getValue().isTextual()) {
                field = entry.getKey();
                break;
            }
        }
        copy.put(field, "\u00e9x".repeat(size / 2));
        return bytes(copy);
    }

    /** {@code valid} with bytes that are not UTF-8 inside a string: a lone continuation byte, an overlong form, a surrogate. */
    private static Arbitrary<byte[]> invalidUtf8(JsonNode valid) {
        return Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82}).map(bad -> {
            byte[] json = bytes(valid);
            int quote = indexOf(json, (byte) '"', 1 + indexOf(json, (byte) ':', 0)) + 1; // just inside a value's string
            if (quote <= 0) quote = json.length;
            byte[] out = new byte[json.length + bad.length];
            System.arraycopy(json, 0, out, 0, quote);
            System.arraycopy(bad, 0, out, quote, bad.length);
            System.arraycopy(json, quote, out, quote + bad.length, json.length - quote);
            return out;
        });
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = Math.max(0, from); i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
