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
                Map.entry("{\"Items\":[{\"a\":{\"S\":5}}]}", "attribute 'a' of type S is not a string"),
                Map.entry("{\"Items\":[{\"a\":{\"N\":\"five\"}}]}", "attribute 'a' of type N is 'five', not a number"),
                Map.entry("{\"Items\":[{\"a\":{\"Q\":\"x\"}}]}", "attribute 'a' has the unknown type 'Q'"),
                Map.entry("{\"Items\":[{\"a\":{\"BOOL\":\"yes\"}}]}", "attribute 'a' of type BOOL is not true or false"),
                Map.entry("{\"Items\":[{\"a\":{\"NULL\":false}}]}", "attribute 'a' of type NULL is not true"),
                Map.entry("{\"Items\":[{\"a\":{\"B\":\"not base64!\"}}]}", "attribute 'a' of type B is not base64"),
                Map.entry("{\"Items\":[{\"a\":{\"S\":\"x\",\"N\":\"1\"}}]}", "attribute 'a' holds more than one typed value"),
                Map.entry("{\"Items\":[{\"a\":{}}]}", "attribute 'a' has no type"),
                Map.entry("{\"Items\":[{\"a\":\"x\"}]}", "attribute 'a' is not a typed value"),
                Map.entry("{\"Items\":[{\"a\":{\"S\":\"x\"},\"a\":{\"S\":\"y\"}}]}", "Duplicate field 'a'"),
                Map.entry("{\"Items\":[{\"l\":{\"L\":[\"x\"]}}]}", "attribute 'l' of type L holds an untyped value"),
                Map.entry("{\"Items\":[{\"s\":{\"NS\":[\"1\",\"x\"]}}]}", "attribute 's' of type N is 'x', not a number"),
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
