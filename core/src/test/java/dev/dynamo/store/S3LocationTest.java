package dev.dynamo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import org.junit.jupiter.api.Test;

class S3LocationTest {

    @Test
    void readsPrefixAsADirectory_withOrWithoutTheFinalSlash() {
        assertThat(S3Location.parse("s3://exports/orders")).isEqualTo(new S3Location("exports", "orders/"));
        assertThat(S3Location.parse("s3://exports/orders/")).isEqualTo(new S3Location("exports", "orders/"));
        assertThat(S3Location.parse("s3://exports/a/b")).isEqualTo(new S3Location("exports", "a/b/"));
        assertThat(S3Location.parse("s3://exports")).isEqualTo(new S3Location("exports", ""));
        assertThat(S3Location.parse("s3://exports/")).isEqualTo(new S3Location("exports", ""));
    }

    @Test
    void describesItselfAsTheUserWritesIt() {
        S3Location location = S3Location.parse("s3://exports/orders/");

        assertThat(location.describe()).isEqualTo("s3://exports/orders");
        assertThat(location.locationOf("AWSDynamoDB/x/manifest-summary.json"))
                .isEqualTo("s3://exports/orders/AWSDynamoDB/x/manifest-summary.json");
        assertThat(S3Location.parse("s3://exports").describe()).isEqualTo("s3://exports");
        assertThat(S3Location.parse("s3://exports").key("a.json")).isEqualTo("a.json");
    }

    @Test
    void refusesMalformedLocations_asOneLineUsageErrors() {
        for (String location : new String[] {"s3://", "s3:///prefix", "s3://b", "s3://bad bucket/x", "s3://b?x/y", "s3://exports//x",
                "s3://exports/../x"}) {
            assertThatThrownBy(() -> S3Location.parse(location)).as(location).isInstanceOfSatisfying(DynamoException.class, error -> {
                assertThat(error.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(error.getMessage()).doesNotContain("\n").contains(location);
            });
        }
    }
}
