package dev.dynamo.env;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;

/**
 * Checks, before the SDK parses it, that every item in a Scan, Query or BatchGetItem answer is
 * DynamoDB JSON: each attribute one typed value of a known type, its JSON of that type ({@code S} a
 * string, {@code N} a string that is a number, {@code B} base64, {@code BOOL} true or false,
 * {@code NULL} true, sets arrays of those, {@code L} and {@code M} of typed values), and no field
 * twice in an object. The SDK is lenient where this is strict: it reads {@code {"S":5}} as the string
 * "5", drops a type it does not know and leaves the value empty, and keeps {@code {"N":"five"}} until
 * something does arithmetic with it. Believed, each prints or compares a value the table does not hold.
 *
 * <p>Used as a {@link RawBodies.ResponseFilter}: it returns the body unchanged, or throws a
 * {@link DamagedAnswer}, which is retried like a network error.
 */
public final class StrictItems {
    /** Attribute names may be as long as DynamoDB allows (64 KB; Jackson's default limit is 50,000 chars). */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(1 << 17).build()).build();

    private StrictItems() {
    }

    /** A response filter for {@code operation}'s answers. */
    public static RawBodies.ResponseFilter filter(String operation) {
        return body -> {
            check(operation, body);
            return body;
        };
    }

    /**
     * @throws DamagedAnswer when an item (in {@code Items}, {@code Responses} or {@code LastEvaluatedKey}) is not DynamoDB JSON
     */
    static void check(String operation, byte[] body) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT, "the answer is not a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "Items" -> {
                        expect(value == JsonToken.START_ARRAY || value == JsonToken.VALUE_NULL, "Items is not an array");
                        if (value == JsonToken.START_ARRAY) {
                            while (parser.nextToken() == JsonToken.START_OBJECT) {
                                attributes(parser);
                            }
                        }
                    }
                    case "LastEvaluatedKey" -> {
                        if (value == JsonToken.START_OBJECT) {
                            attributes(parser);
                        } else {
                            expect(value == JsonToken.VALUE_NULL, "LastEvaluatedKey is not an object");
                        }
                    }
                    case "Responses" -> {
                        expect(value == JsonToken.START_OBJECT, "Responses is not an object");
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            expect(parser.nextToken() == JsonToken.START_ARRAY, "Responses of a table is not an array");
                            while (parser.nextToken() == JsonToken.START_OBJECT) {
                                attributes(parser);
                            }
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            expect(parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null, "the answer does not end where its object does");
        } catch (DamagedAnswerText e) {
            throw DamagedAnswer.asIOException(operation, e.getMessage());
        } catch (IOException e) {
            // Malformed JSON, or a field twice (STRICT_DUPLICATE_DETECTION).
            throw DamagedAnswer.asIOException(operation, "not DynamoDB JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The attributes of the object whose START_OBJECT is the current token, through its END_OBJECT. */
    private static void attributes(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            expect(parser.nextToken() == JsonToken.START_OBJECT, "attribute '" + name + "' is not a typed value");
            value(parser, name);
        }
        expect(parser.currentToken() == JsonToken.END_OBJECT, "an item is not an object of attributes");
    }

    /** The typed value whose START_OBJECT is the current token, through its END_OBJECT. */
    private static void value(JsonParser parser, String name) throws IOException {
        expect(parser.nextToken() == JsonToken.FIELD_NAME, "attribute '" + name + "' has no type");
        String type = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (type) {
            case "S" -> expect(token == JsonToken.VALUE_STRING, "attribute '" + name + "' of type S is not a string");
            case "N" -> number(parser, token, name);
            case "B" -> binary(parser, token, name);
            case "BOOL" -> expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE,
                    "attribute '" + name + "' of type BOOL is not true or false");
            case "NULL" -> expect(token == JsonToken.VALUE_TRUE, "attribute '" + name + "' of type NULL is not true");
            case "SS", "NS", "BS" -> {
                expect(token == JsonToken.START_ARRAY, "attribute '" + name + "' of type " + type + " is not an array");
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    switch (type) {
                        case "SS" -> expect(element == JsonToken.VALUE_STRING, "attribute '" + name + "' of type SS holds a non-string");
                        case "NS" -> number(parser, element, name);
                        default -> binary(parser, element, name);
                    }
                }
            }
            case "L" -> {
                expect(token == JsonToken.START_ARRAY, "attribute '" + name + "' of type L is not an array");
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                    expect(element == JsonToken.START_OBJECT, "attribute '" + name + "' of type L holds an untyped value");
                    value(parser, name);
                }
            }
            case "M" -> {
                expect(token == JsonToken.START_OBJECT, "attribute '" + name + "' of type M is not an object");
                attributes(parser);
            }
            default -> throw new DamagedAnswerText("attribute '" + name + "' has the unknown type '" + type + "'");
        }
        expect(parser.nextToken() == JsonToken.END_OBJECT, "attribute '" + name + "' holds more than one typed value");
    }

    private static void number(JsonParser parser, JsonToken token, String name) throws IOException {
        expect(token == JsonToken.VALUE_STRING, "attribute '" + name + "' of type N is not a number as a string");
        try {
            new BigDecimal(parser.getText());
        } catch (NumberFormatException e) {
            throw new DamagedAnswerText("attribute '" + name + "' of type N is '" + abbreviated(parser.getText()) + "', not a number");
        }
    }

    private static void binary(JsonParser parser, JsonToken token, String name) throws IOException {
        expect(token == JsonToken.VALUE_STRING, "attribute '" + name + "' of type B is not base64 as a string");
        try {
            Base64.getDecoder().decode(parser.getText());
        } catch (IllegalArgumentException e) {
            throw new DamagedAnswerText("attribute '" + name + "' of type B is not base64");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }

    private static void expect(boolean condition, String problem) throws DamagedAnswerText {
        if (!condition) {
            throw new DamagedAnswerText(problem);
        }
    }

    /** What is wrong, on its way to becoming the {@link DamagedAnswer} of the operation. */
    private static final class DamagedAnswerText extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedAnswerText(String problem) {
            super(problem);
        }
    }
}
