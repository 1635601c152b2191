package io.sweepfarm.coordinator.sweep;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads request bodies with the application's {@link ObjectMapper} and turns Jackson's failures into problems that
 * name the field: syntax errors are 400 (with where parsing stopped), well-formed JSON of the wrong type is 422.
 * Done here rather than by the framework so that no parser internals or class names reach a response.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ProblemException.Malformed("body", "a JSON object is required");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new ProblemException.Malformed("body", "a JSON object is required, not null");
            }
            return value;
        } catch (JsonParseException e) {
            String where = e.getProcessor() == null ? null : path(e.getProcessor().getParsingContext());
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ProblemException.Malformed(where == null || where.isEmpty() ? "body" : where,
                    "not valid JSON" + at + ": " + firstLine(e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            String where = path(e);
            if (e.getCause() instanceof JsonParseException syntax) {
                // A syntax error inside a property, wrapped by databind with the path to it.
                String at = syntax.getLocation() == null ? "" : " at line " + syntax.getLocation().getLineNr()
                        + ", column " + syntax.getLocation().getColumnNr();
                throw new ProblemException.Malformed(where.isEmpty() ? "body" : where,
                        "not valid JSON" + at + ": " + firstLine(syntax.getOriginalMessage()));
            }
            throw new ProblemException.Invalid(where.isEmpty() ? "body" : where,
                    "has the wrong type or value: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ProblemException.Malformed("body", "not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ProblemException.Malformed("body", "could not be read");
        }
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
}
