package io.focusmate.realtime.internal.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The one shared, thread-safe Jackson mapper of the gateway, and a helper to write small frames. */
public final class Json {
    /** Thread-safe after construction; never reconfigured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    /** Writes one JSON value with a streaming generator and returns it as a string. */
    public static String write(Writer body) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            body.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A server frame {@code {"type":"...","data":{...}}}: {@code fields} writes the members of {@code data}, in
     * order.
     */
    public static String frame(String type, Writer fields) {
        return write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", type);
            gen.writeObjectFieldStart("data");
            fields.write(gen);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    /** Writes a JSON value to a generator. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the value. */
        void write(JsonGenerator gen) throws IOException;
    }
}
