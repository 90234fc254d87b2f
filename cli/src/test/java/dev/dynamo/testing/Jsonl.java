package dev.dynamo.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads what {@code dynamo query -o jsonl} prints, numbers as exact decimals. */
public final class Jsonl {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Jsonl() {
    }

    public static List<JsonNode> items(CommandResult result) {
        return result.lines().stream().map(Jsonl::parse).toList();
    }

    /** The text of one attribute of every item, e.g. every sort key in the order printed. */
    public static List<String> values(CommandResult result, String attribute) {
        return items(result).stream().map(item -> item.hasNonNull(attribute) ? item.get(attribute).asText() : null).toList();
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
