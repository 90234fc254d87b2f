package dev.dynamo.env;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.dynamo.items.DynamoJson;
import java.io.IOException;
import org.apiguardian.api.API;

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
@API(status = INTERNAL, since = "0.1")
public final class StrictItems {
    private static final JsonFactory JSON = DynamoJson.FACTORY;

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

    /** The item whose START_OBJECT is the current token, read strictly by the one DynamoDB JSON codec. */
    private static void attributes(JsonParser parser) throws IOException {
        try {
            DynamoJson.readItem(parser, "");
        } catch (DynamoJson.Malformed e) {
            throw new DamagedAnswerText("an item that is not DynamoDB JSON (" + e.getMessage() + ")");
        }
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
