package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.pipeline.Backoff;
import dev.dynamo.pipeline.CapacityLimiter;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.table.TableSchema;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchWriter's retry paths, which local engines never take (they do not throttle): a client
 * that answers with UnprocessedItems, throttling, 5xx, validation and access errors as scripted.
 */
class BatchWriterTest {
    private static final KeySchema KEYS = new KeySchema(new KeyAttribute("pk", KeyType.S), null);
    private static final Environment ENVIRONMENT = new Environment("test", null, Region.US_EAST_1, URI.create("http://127.0.0.1:1"),
            AnonymousCredentialsProvider.create());

    @TempDir
    Path dir;

    /** Answers each BatchWriteItem with the next scripted function of the request. */
    private static final class ScriptedClient implements DynamoDbClient {
        final List<Function<List<WriteRequest>, BatchWriteItemResponse>> script = new ArrayList<>();
        final List<List<WriteRequest>> calls = new ArrayList<>();

        @Override
        public synchronized BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            List<WriteRequest> requests = request.requestItems().get("t");
            calls.add(requests);
            Function<List<WriteRequest>, BatchWriteItemResponse> next = script.isEmpty() ? ScriptedClient::allWritten : script.remove(0);
            return next.apply(requests);
        }

        static BatchWriteItemResponse allWritten(List<WriteRequest> requests) {
            // As DynamoDB answers: UnprocessedItems is always there, empty when every request was done.
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of())
                    .consumedCapacity(ConsumedCapacity.builder().tableName("t").capacityUnits((double) requests.size()).build()).build();
        }

        static Function<List<WriteRequest>, BatchWriteItemResponse> unprocessed(int count) {
            return requests -> BatchWriteItemResponse.builder()
                    .unprocessedItems(Map.of("t", requests.subList(requests.size() - count, requests.size())))
                    .consumedCapacity(ConsumedCapacity.builder().tableName("t").capacityUnits((double) requests.size() - count).build())
                    .build();
        }

        static Function<List<WriteRequest>, BatchWriteItemResponse> failing(String code, int status) {
            return requests -> {
                throw DynamoDbException.builder().statusCode(status)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build()).build();
            };
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private final JobCounters counters = new JobCounters(true);

    private BatchWriter writer(ScriptedClient client, DeadLetterFile deadLetters, int maxRetries) {
        TableSchema schema = TableSchema.builder().name("t").environment("test").keys(KEYS).billingMode("PAY_PER_REQUEST")
                .status("ACTIVE").build();
        TableRef table = new TableRef(ENVIRONMENT, client, schema, CapacityLimiter.of(0), CapacityLimiter.of(0));
        Retrier retrier = new Retrier(new Backoff(1, 4, new Random(1)), maxRetries, counters);
        return new BatchWriter(table, BatchWriter.Kind.PUT, retrier, counters, deadLetters, null);
    }

    private static Page page(int items) {
        List<Map<String, AttributeValue>> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(Map.of("pk", AttributeValue.fromS("k" + i)));
        }
        return new Page(0, 0, list);
    }

    @Test
    void retriesUnprocessedItems_untilAllAreWritten() throws InterruptedException {
        ScriptedClient client = new ScriptedClient();
        client.script.add(ScriptedClient.unprocessed(10));
        client.script.add(ScriptedClient.unprocessed(3));
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        writer(client, deadLetters, 5).consume(page(25));

        assertThat(client.calls).extracting(List::size).containsExactly(25, 10, 3);
        assertThat(counters.written.sum()).isEqualTo(25);
        assertThat(counters.retried.sum()).isEqualTo(2);
        assertThat(counters.throttled.sum()).isEqualTo(2);
        assertThat(counters.writeUnits.sum()).isEqualTo(25);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void retriesThrottlingAnd5xx_thenWrites() throws InterruptedException {
        ScriptedClient client = new ScriptedClient();
        client.script.add(ScriptedClient.failing("ProvisionedThroughputExceededException", 400));
        client.script.add(ScriptedClient.failing("ThrottlingException", 400));
        client.script.add(ScriptedClient.failing("RequestLimitExceeded", 400));
        client.script.add(ScriptedClient.failing("InternalServerError", 500));
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        writer(client, deadLetters, 5).consume(page(30));

        assertThat(client.calls).extracting(List::size).containsExactly(25, 25, 25, 25, 25, 5);
        assertThat(counters.written.sum()).isEqualTo(30);
        assertThat(counters.retried.sum()).isEqualTo(4);
        assertThat(counters.throttled.sum()).isEqualTo(3);
    }

    @Test
    void deadLettersWhatIsStillUnprocessed_afterTheLastRetry() throws InterruptedException {
        ScriptedClient client = new ScriptedClient();
        for (int i = 0; i < 4; i++) {
            client.script.add(ScriptedClient.unprocessed(2));
        }
        Path file = dir.resolve("dead.jsonl");
        DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"));

        writer(client, deadLetters, 3).consume(page(5));
        deadLetters.close();

        assertThat(client.calls).extracting(List::size).containsExactly(5, 2, 2, 2);
        assertThat(counters.written.sum()).isEqualTo(3);
        assertThat(counters.failed.sum()).isEqualTo(2);
        assertThat(ItemFileReader.readAll(file)).containsExactly(Map.of("pk", AttributeValue.fromS("k3")),
                Map.of("pk", AttributeValue.fromS("k4")));
    }

    @Test
    void deadLettersOnlyTheRejectedItem_ofARejectedBatch() throws InterruptedException {
        ScriptedClient client = new ScriptedClient();
        client.script.add(ScriptedClient.failing("ValidationException", 400)); // the batch of 4
        client.script.add(ScriptedClient::allWritten);                        // k0 alone
        client.script.add(ScriptedClient.failing("ValidationException", 400)); // k1 alone
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        writer(client, deadLetters, 3).consume(page(4));

        assertThat(client.calls).extracting(List::size).containsExactly(4, 1, 1, 1, 1);
        assertThat(counters.written.sum()).isEqualTo(3);
        assertThat(counters.failed.sum()).isEqualTo(1);
        assertThat(counters.retried.sum()).isZero();
    }

    @Test
    void stopsTheCopy_onAnErrorRetriesCannotFix() {
        ScriptedClient client = new ScriptedClient();
        client.script.add(ScriptedClient.failing("AccessDeniedException", 400));
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        assertThatThrownBy(() -> writer(client, deadLetters, 3).consume(page(2)))
                .isInstanceOf(DynamoException.class)
                .hasMessageStartingWith("access denied in 'test' (http://127.0.0.1:1, us-east-1) while writing to table 't'");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void stopsTheCopy_whenTheDeadLetterFileCannotBeWritten() throws java.io.IOException {
        ScriptedClient client = new ScriptedClient();
        client.script.add(ScriptedClient.failing("ValidationException", 400));
        Path notADirectory = java.nio.file.Files.createFile(dir.resolve("file"));
        DeadLetterFile deadLetters = new DeadLetterFile(notADirectory.resolve("dead.jsonl"), List.of("pk"));

        assertThatThrownBy(() -> writer(client, deadLetters, 3).consume(page(1)))
                .isInstanceOf(DynamoException.class)
                .hasMessageStartingWith("cannot append to the dead-letter file " + notADirectory.resolve("dead.jsonl"))
                .hasMessageEndingWith("; the copy stopped so that no item is lost (ValidationException: ValidationException happened)");
    }

    @Test
    void classifiesErrors() {
        assertThat(Retrier.classify(error("ProvisionedThroughputExceededException", 400))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error("ThrottlingException", 400))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error("RequestLimitExceeded", 400))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error("Whatever", 429))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error("InternalServerError", 500))).isEqualTo(Retrier.Failure.TRANSIENT);
        assertThat(Retrier.classify(error("ServiceUnavailable", 503))).isEqualTo(Retrier.Failure.TRANSIENT);
        assertThat(Retrier.classify(error("ValidationException", 400))).isEqualTo(Retrier.Failure.REJECTED);
        assertThat(Retrier.classify(error("ResourceNotFoundException", 400))).isEqualTo(Retrier.Failure.FATAL);
        assertThat(Retrier.classify(error("UnrecognizedClientException", 400))).isEqualTo(Retrier.Failure.FATAL);
    }

    private static AwsServiceException error(String code, int status) {
        return DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }
}
