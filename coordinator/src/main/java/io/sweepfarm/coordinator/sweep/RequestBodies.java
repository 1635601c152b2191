package io.sweepfarm.coordinator.sweep;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly — JSON, or YAML for sweeps — and turns every failure into a problem that names the
 * field: syntax errors are 400 (with where parsing stopped), well-formed content of the wrong shape 422, any other
 * content type 415 (and so is a charset that would read the body as other text than UTF-8 does). Nothing is coerced:
 * unknown fields, duplicate keys, trailing content after the object, fractions for integers, numbers or booleans for
 * text, text for numbers are all refused rather than silently read as something other than what was sent. Done
 * here rather than by the framework so that no parser internals or class names reach a response.
 */
public final class RequestBodies {

    private static final ObjectMapper JSON = strict(JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper YAML = strict(YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private RequestBodies() {
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.registerModule(new JavaTimeModule());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
            LogicalType.Boolean, LogicalType.Enum}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer
                    || type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual || type == LogicalType.Enum
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual
                            ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    /** A JSON body of {@code type}. */
    public static <T> T read(String contentType, byte[] body, Class<T> type) {
        return read(contentType, body, type, false);
    }

    /**
     * A body of {@code type} in the format its content type names: {@code application/json} (or any
     * {@code +json}), and with {@code yamlToo} also {@code application/yaml}, {@code application/x-yaml} or
     * {@code text/yaml}; anything else is a 415.
     */
    public static <T> T read(String contentType, byte[] body, Class<T> type, boolean yamlToo) {
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean json = media.equals("application/json") || media.endsWith("+json");
        boolean yaml = yamlToo && (media.equals("application/yaml") || media.equals("application/x-yaml")
                || media.equals("text/yaml"));
        if (!json && !yaml) {
            throw new ProblemException.UnsupportedMediaType(media.isEmpty() ? "the request has no Content-Type"
                    : "Content-Type " + media + " is not accepted", yamlToo
                    ? "application/json, application/yaml" : "application/json");
        }
        String format = json ? "JSON" : "YAML";
        String charset = charset(contentType);
        if (charset != null && !sameAsUtf8(charset, body)) {
            throw new ProblemException.UnsupportedMediaType("Content-Type: charset=" + QueryParams.shown(charset)
                    + " would read this body as other text than UTF-8 does; " + format + " bodies are read as UTF-8",
                    yamlToo ? "application/json, application/yaml (UTF-8)" : "application/json (UTF-8)");
        }
        if (body == null || body.length == 0) {
            throw new ProblemException.Malformed("body", "a " + format + " object is required");
        }
        if (!utf8Start(body)) {
            // The parsers would guess UTF-16 or UTF-32 from the first bytes and read something else than declared.
            throw new ProblemException.Malformed("body", "is not UTF-8 (a UTF-16 or UTF-32 byte order or NUL bytes "
                    + "at its start); send " + format + " as UTF-8");
        }
        if (yaml) {
            YamlShape.check(body);
        }
        try {
            T value = (json ? JSON : YAML).readValue(body, type);
            if (value == null) {
                throw new ProblemException.Malformed("body", "a " + format + " object is required, not null");
            }
            return value;
        } catch (StreamReadException e) {
            throw syntax(e, e.getProcessor() == null ? null : path(e.getProcessor().getParsingContext()), format);
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            String known = e.getKnownPropertyIds() == null ? "" : "; known fields: " + e.getKnownPropertyIds()
                    .stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ProblemException.Invalid(where.isEmpty() ? "body" : where, "is not a field of this request"
                    + known);
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
                throw new ProblemException.Malformed("body", "holds more after the " + format + " object; send "
                        + "exactly one object");
            }
            if (e.getCause() instanceof StreamReadException inner) {
                throw syntax(inner, where(inner, e), format);
            }
            String where = path(e);
            throw new ProblemException.Invalid(where.isEmpty() ? "body" : where,
                    "has the wrong type or value: " + firstLine(e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException inner) {
                // A syntax error inside a property, wrapped by databind.
                throw syntax(inner, where(inner, e), format);
            }
            if (e.getCause() instanceof StreamConstraintsException limit) {
                String where = path(e);
                throw new ProblemException.Malformed(where.isEmpty() ? "body" : where,
                        "is beyond the parser's limits: " + firstLine(limit.getOriginalMessage()));
            }
            String where = path(e);
            throw new ProblemException.Invalid(where.isEmpty() ? "body" : where,
                    "has the wrong type or value: " + firstLine(e.getOriginalMessage()));
        } catch (StreamConstraintsException e) {
            throw new ProblemException.Malformed("body", "is beyond the parser's limits: "
                    + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw new ProblemException.Malformed("body", "not valid " + format + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ProblemException.Malformed("body", "could not be read");
        }
    }

    /** Where a syntax error stopped: the parser's own path (with array indexes), else databind's. */
    private static String where(StreamReadException syntax, JsonMappingException wrapper) {
        String parsed = syntax.getProcessor() == null ? "" : path(syntax.getProcessor().getParsingContext());
        return parsed.isEmpty() ? path(wrapper) : parsed;
    }

    /**
     * A syntax error is a 400 naming where parsing stopped; a well-formed number out of its field's range (an
     * integer beyond 32 bits...) is a 422 naming the field.
     */
    private static ProblemException syntax(StreamReadException e, String where, String format) {
        String field = where == null || where.isEmpty() ? "body" : where;
        if (e instanceof InputCoercionException) {
            return new ProblemException.Invalid(field, "is out of range: " + firstLine(e.getOriginalMessage()));
        }
        String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        return new ProblemException.Malformed(field, "not valid " + format + at + ": "
                + firstLine(e.getOriginalMessage()));
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson names Java types ("`java.lang.Double`"); keep them out of responses.
        return line.replaceAll("`?(java|io|com|org)\\.[A-Za-z0-9_.$]+`?", "value");
    }

    /** The {@code charset} parameter of a content type, lower case and unquoted, or null without one. */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")) {
                return kv[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /**
     * Whether the declared charset reads the body as the same text as UTF-8 does: always for UTF-8, and for an
     * ASCII body under an ASCII-compatible charset (clients such as REST Assured add {@code charset=ISO-8859-1} to
     * any text type). An unknown charset never does.
     */
    static boolean sameAsUtf8(String charset, byte[] body) {
        if (charset.equals("utf-8") || charset.equals("utf8")) {
            return true;
        }
        java.nio.charset.Charset declared;
        try {
            declared = java.nio.charset.Charset.forName(charset);
        } catch (IllegalArgumentException e) { // illegal or unsupported name
            return false;
        }
        byte[] b = body == null ? new byte[0] : body;
        for (byte x : b) {
            if (x < 0) {
                return false; // beyond ASCII: the charsets differ there
            }
        }
        return new String(b, declared).equals(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether a body can be UTF-8: no UTF-16/32 byte order mark and no NUL among its first four bytes. */
    static boolean utf8Start(byte[] body) {
        if (body.length >= 2 && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff
                || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe)) {
            return false;
        }
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        return true;
    }
}
