package dev.dynamo.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reading of items that the SDK would read leniently. */
class StrictItemsTest {
    private static final String EVERY_TYPE = "{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"-1.5E+3\"},\"b\":{\"B\":\"AP8=\"},\"t\":{\"BOOL\":false},"
            + "\"z\":{\"NULL\":true},\"ss\":{\"SS\":[\"x\",\"\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"bs\":{\"BS\":[\"AQ==\"]},"
            + "\"l\":{\"L\":[{\"S\":\"x\"},{\"L\":[]},{\"M\":{}}]},\"m\":{\"M\":{\"deep\":{\"N\":\"7\"}}},\"" + "a".repeat(60_000)
            + "\":{\"S\":\"a long name\"}}";

    private static void check(String body) throws Exception {
        StrictItems.check("Scan", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passesEveryTypeDynamoDbSends_inItemsKeysAndBatchResponses() {
        assertThatCode(() -> check("{\"Count\":1,\"ScannedCount\":1,\"Items\":[" + EVERY_TYPE + "],"
                + "\"LastEvaluatedKey\":{\"pk\":{\"S\":\"a\"}},\"ConsumedCapacity\":{\"TableName\":\"T\",\"CapacityUnits\":0.5}}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check("{\"Responses\":{\"T\":[" + EVERY_TYPE + "]},\"UnprocessedKeys\":{}}")).doesNotThrowAnyException();
        assertThatCode(() -> check("{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}")).doesNotThrowAnyException();
    }

    @Test
    void refusesWhatTheSdkWouldBelieve_withWhatIsWrong() {
        Map<String, String> damaged = Map.ofEntries(
                Map.entry("{\"Items\":[{\"a\":{\"S\":5}}]}", "a: expected a string"),
                Map.entry("{\"Items\":[{\"a\":{\"N\":\"five\"}}]}", "a: 'five' is not a number"),
                Map.entry("{\"Items\":[{\"a\":{\"Q\":\"x\"}}]}", "a: unknown type 'Q'"),
                Map.entry("{\"Items\":[{\"a\":{\"BOOL\":\"yes\"}}]}", "a: BOOL must be true or false"),
                Map.entry("{\"Items\":[{\"a\":{\"NULL\":false}}]}", "a: NULL must be true"),
                Map.entry("{\"Items\":[{\"a\":{\"B\":\"not base64!\"}}]}", "a: binary must be base64"),
                Map.entry("{\"Items\":[{\"a\":{\"S\":\"x\",\"N\":\"1\"}}]}", "a: expected one typed value"),
                Map.entry("{\"Items\":[{\"a\":{}}]}", "a: expected one typed value"),
                Map.entry("{\"Items\":[{\"a\":\"x\"}]}", "a: expected one typed value"),
                Map.entry("{\"Items\":[{\"a\":{\"S\":\"x\"},\"a\":{\"S\":\"y\"}}]}", "Duplicate field 'a'"),
                Map.entry("{\"Items\":[{\"l\":{\"L\":[\"x\"]}}]}", "l[0]: expected one typed value"),
                Map.entry("{\"Items\":[{\"s\":{\"NS\":[\"1\",\"x\"]}}]}", "s: 'x' is not a number"),
                Map.entry("{\"Items\":{\"0\":{}}}", "Items is not an array"),
                Map.entry("{\"Items\":[],\"Items\":[]}", "Duplicate field 'Items'"),
                Map.entry("{\"LastEvaluatedKey\":[1]}", "LastEvaluatedKey is not an object"),
                Map.entry("{\"Responses\":{\"T\":{}}}", "Responses of a table is not an array"),
                Map.entry("[{\"Items\":[]}]", "the answer is not a JSON object"),
                Map.entry("{\"Items\":[]} {}", "the answer does not end where its object does"),
                Map.entry("<html>502</html>", "not DynamoDB JSON"));
        damaged.forEach((body, problem) -> assertThatThrownBy(() -> check(body)).as(body)
                .isInstanceOfSatisfying(DamagedAnswer.class, e -> {
                    assertThat(e.operation()).isEqualTo("Scan");
                    assertThat(e.getMessage()).contains(problem);
                }));
    }
}
