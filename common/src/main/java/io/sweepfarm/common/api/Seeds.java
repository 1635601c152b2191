package io.sweepfarm.common.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed axis of a sweep: an explicit list ({@code [1, 2, 3]}) or a range ({@code {"start": 1000, "count":
 * 1000000}}) that is never materialised, so a sweep of 10⁸ seeds is as small as one of three.
 */
@JsonSerialize(using = Seeds.Writer.class)
@JsonDeserialize(using = Seeds.Reader.class)
public sealed interface Seeds permits Seeds.Listed, Seeds.Range {

    /** Number of seeds. */
    long size();

    /** The seed at {@code index}, 0 ≤ index &lt; {@link #size()}. */
    long get(long index);

    /** Seeds given one by one. */
    record Listed(List<Long> values) implements Seeds {
        public Listed {
            values = List.copyOf(values);
        }

        @Override
        public long size() {
            return values.size();
        }

        @Override
        public long get(long index) {
            return values.get(Math.toIntExact(index));
        }
    }

    /** {@code count} consecutive seeds from {@code start}. */
    record Range(long start, long count) implements Seeds {
        @Override
        public long size() {
            return count;
        }

        @Override
        public long get(long index) {
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException("seed index " + index + " outside 0.." + (count - 1));
            }
            return start + index;
        }
    }

    static Seeds of(long... values) {
        List<Long> list = new ArrayList<>(values.length);
        for (long v : values) {
            list.add(v);
        }
        return new Listed(list);
    }

    /** Writes a list as a JSON array and a range as {@code {"start", "count"}}. */
    final class Writer extends StdSerializer<Seeds> {
        public Writer() {
            super(Seeds.class);
        }

        @Override
        public void serialize(Seeds seeds, JsonGenerator g, SerializerProvider provider) throws IOException {
            if (seeds instanceof Listed l) {
                g.writeStartArray();
                for (Long v : l.values()) {
                    if (v == null) {
                        g.writeNull();
                    } else {
                        g.writeNumber(v);
                    }
                }
                g.writeEndArray();
            } else {
                Range r = (Range) seeds;
                g.writeStartObject();
                g.writeNumberField("start", r.start());
                g.writeNumberField("count", r.count());
                g.writeEndObject();
            }
        }
    }

    /**
     * Reads either form strictly: integers only (no fractions, no numbers in strings), and in a range exactly the
     * fields {@code start} and {@code count}. Null elements are kept for the validator to name.
     */
    final class Reader extends StdDeserializer<Seeds> {
        public Reader() {
            super(Seeds.class);
        }

        @Override
        public Seeds deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.START_ARRAY) {
                List<Long> values = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == JsonToken.VALUE_NULL) {
                        throw JsonMappingException.wrapWithPath(JsonMappingException.from(p, "seeds["
                                + values.size() + "] must be an integer, not null"), values, values.size());
                    } else {
                        try {
                            values.add(integer(p, ctx, "[" + values.size() + "]"));
                        } catch (JsonMappingException e) {
                            throw JsonMappingException.wrapWithPath(e, values, values.size());
                        }
                    }
                }
                return new Listed(values);
            }
            if (p.currentToken() == JsonToken.START_OBJECT) {
                Long start = null;
                Long count = null;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    p.nextToken();
                    try {
                        switch (name) {
                            case "start" -> start = integer(p, ctx, ".start");
                            case "count" -> count = integer(p, ctx, ".count");
                            default -> throw ctx.weirdStringException(name, Seeds.class, "is not a field of a seed "
                                    + "range: use {\"start\": s, \"count\": n}");
                        }
                    } catch (JsonMappingException e) {
                        throw JsonMappingException.wrapWithPath(e, Seeds.class, name);
                    }
                }
                if (start == null || count == null) {
                    throw ctx.weirdStringException(start == null ? "start" : "count", Seeds.class,
                            "a seed range needs both \"start\" and \"count\"");
                }
                return new Range(start, count);
            }
            throw ctx.wrongTokenException(p, Seeds.class, JsonToken.START_ARRAY,
                    "seeds must be a list of integers or {\"start\": s, \"count\": n}");
        }

        private static long integer(JsonParser p, DeserializationContext ctx, String where) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw ctx.wrongTokenException(p, Long.class, JsonToken.VALUE_NUMBER_INT,
                        "seeds" + where + " must be an integer, not " + p.getText());
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw ctx.weirdNumberException(p.getNumberValue(), Long.class, "seeds" + where + " is too large");
            }
            return p.getLongValue();
        }
    }
}
