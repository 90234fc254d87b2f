package dev.dynamo.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class KeyTypeTest {

    @Test
    void keepsTheString_whenTypeIsS() {
        assertThat(KeyType.S.parse("customer#42 ü", "partition key 'pk'")).isEqualTo(AttributeValue.fromS("customer#42 ü"));
        assertThat(KeyType.S.parse(" padded ", "partition key 'pk'")).isEqualTo(AttributeValue.fromS(" padded "));
    }

    @Test
    void refusesAnEmptyString_whenTypeIsS() {
        assertUsageError(() -> KeyType.S.parse("", "partition key 'pk'"),
                "partition key 'pk' is a string key and cannot be empty");
    }

    @Test
    void keepsTheNumberExactlyAsWritten_whenTypeIsN() {
        assertThat(KeyType.N.parse("1.50", "sort key 'sk'")).isEqualTo(AttributeValue.fromN("1.50"));
        assertThat(KeyType.N.parse("-0.5E+3", "sort key 'sk'")).isEqualTo(AttributeValue.fromN("-0.5E+3"));
        assertThat(KeyType.N.parse(" 7 ", "sort key 'sk'")).isEqualTo(AttributeValue.fromN("7"));
        String digits38 = "12345678901234567890123456789012345678";
        assertThat(KeyType.N.parse(digits38, "sort key 'sk'")).isEqualTo(AttributeValue.fromN(digits38));
        // trailing zeros are not significant digits
        assertThat(KeyType.N.parse(digits38 + ".000", "sort key 'sk'").n()).isEqualTo(digits38 + ".000");
    }

    @Test
    void refusesText_whenTypeIsN() {
        assertUsageError(() -> KeyType.N.parse("abc", "sort key 'sk'"),
                "sort key 'sk' is a number (N) key, but 'abc' is not a number");
        assertUsageError(() -> KeyType.N.parse("0x10", "sort key 'sk'"),
                "sort key 'sk' is a number (N) key, but '0x10' is not a number");
        assertUsageError(() -> KeyType.N.parse("NaN", "sort key 'sk'"),
                "sort key 'sk' is a number (N) key, but 'NaN' is not a number");
    }

    @Test
    void refusesMoreThan38SignificantDigits_whenTypeIsN() {
        String digits39 = "123456789012345678901234567890123456789";
        assertUsageError(() -> KeyType.N.parse(digits39, "partition key 'n'"),
                "partition key 'n' is a number (N) key, but '" + digits39
                        + "' has more than 38 significant digits, which DynamoDB cannot store");
    }

    @Test
    void decodesBase64_whenTypeIsB() {
        AttributeValue value = KeyType.B.parse("AQL/", "partition key 'b'");
        assertThat(value.b()).isEqualTo(SdkBytes.fromByteArray(new byte[] {1, 2, (byte) 0xFF}));
    }

    @Test
    void refusesTextThatIsNotBase64_whenTypeIsB() {
        DynamoException error = assertUsageError(() -> KeyType.B.parse("not base64!", "partition key 'b'"), null);
        assertThat(error.getMessage()).startsWith(
                "partition key 'b' is a binary (B) key: give it as base64, but 'not base64!' is not base64 (");
    }

    @Test
    void refusesAnEmptyValue_whenTypeIsB() {
        assertUsageError(() -> KeyType.B.parse("", "partition key 'b'"), "partition key 'b' is a binary (B) key and cannot be empty");
    }

    @Test
    void mapsScalarAttributeTypesBothWays() {
        for (KeyType type : KeyType.values()) {
            assertThat(KeyType.of(type.toScalarType())).isEqualTo(type);
        }
        assertThat(KeyType.of(ScalarAttributeType.N)).isEqualTo(KeyType.N);
        assertThatThrownBy(() -> KeyType.of(ScalarAttributeType.UNKNOWN_TO_SDK_VERSION))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static DynamoException assertUsageError(Runnable action, String message) {
        try {
            action.run();
        } catch (DynamoException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
            return e;
        }
        throw new AssertionError("expected a usage error" + (message == null ? "" : ": " + message));
    }
}
