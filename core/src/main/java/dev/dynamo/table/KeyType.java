package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import java.math.BigDecimal;
import java.util.Base64;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The three types a key attribute can have. */
@API(status = STABLE, since = "0.1")
public enum KeyType {
    /** String. */
    S,
    /** Number: kept exactly as written, up to 38 significant digits. */
    N,
    /** Binary: given on the command line as base64. */
    B;

    private static final int MAX_NUMBER_DIGITS = 38;

    /** Whether {@code value} is of this type (a number for N, and so on). */
    public boolean matches(AttributeValue value) {
        if (value == null) {
            return false;
        }
        return switch (this) {
            case S -> value.s() != null;
            case N -> value.n() != null;
            case B -> value.b() != null;
        };
    }

    static KeyType of(ScalarAttributeType type) {
        return switch (type) {
            case S -> S;
            case N -> N;
            case B -> B;
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    ScalarAttributeType toScalarType() {
        return ScalarAttributeType.valueOf(name());
    }

    /**
     * Turns a value typed on the command line into an attribute value of this type.
     *
     * @param what names the value in the error, for example {@code "partition key 'pk'"}
     * @throws DynamoException (usage) when the text is not a value of this type
     */
    public AttributeValue parse(String text, String what) {
        return switch (this) {
            case S -> {
                if (text.isEmpty()) {
                    throw DynamoException.usage(what + " is a string key and cannot be empty");
                }
                yield AttributeValue.fromS(text);
            }
            case N -> AttributeValue.fromN(checkNumber(text, what));
            case B -> AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(decodeBase64(text, what)));
        };
    }

    private static String checkNumber(String text, String what) {
        BigDecimal number;
        try {
            number = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw DynamoException.usage(what + " is a number (N) key, but '" + text + "' is not a number");
        }
        if (number.stripTrailingZeros().precision() > MAX_NUMBER_DIGITS) {
            throw DynamoException.usage(what + " is a number (N) key, but '" + text
                    + "' has more than 38 significant digits, which DynamoDB cannot store");
        }
        // Sent exactly as written: DynamoDB compares numbers by value, and 1.0 finds the item stored as 1.
        return text.trim();
    }

    private static byte[] decodeBase64(String text, String what) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text.trim());
            if (bytes.length == 0) {
                throw DynamoException.usage(what + " is a binary (B) key and cannot be empty");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw DynamoException.usage(what + " is a binary (B) key: give it as base64, but '" + text + "' is not base64 ("
                    + e.getMessage() + ")");
        }
    }
}
