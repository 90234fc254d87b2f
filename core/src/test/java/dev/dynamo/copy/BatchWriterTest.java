package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.env.DynamoClientFactory;
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
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * BatchWriter's retry paths, which a local engine never takes by itself (it does not throttle): a real
 * {@link FaultProxy} in front of the engine answers chosen BatchWriteItem calls with every item
 * unprocessed (without passing them on), with part of the batch unprocessed (the rest really written),
 * or with throttling and 5xx errors; a rejected item is one the engine itself refuses (a key of the
 * wrong type). Each test then reads the table back.
 */
@EngineTest
class BatchWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeySchema KEYS = new KeySchema(new KeyAttribute("pk", KeyType.S), null);

    @TempDir
    Path dir;

    private final JobCounters counters = new JobCounters(true);
    private final List<Integer> batchSizes = new ArrayList<>();
    private LocalDynamoDb db;
    private FaultProxy proxy;
    private DynamoDbClient client;
    private String table;

    @BeforeEach
    void start(LocalDynamoDb engine) {
        db = engine;
        table = TestTables.table("writer").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        proxy = FaultProxy.start(db.endpoint()).observe((operation, body) -> {
            if (operation.equals("BatchWriteItem")) {
                synchronized (batchSizes) {
                    batchSizes.add(body.split("\"PutRequest\"", -1).length - 1);
                }
            }
        });
        Environment environment = new Environment("test", null, Region.US_EAST_1, proxy.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        client = DynamoClientFactory.create(environment, 1, 0, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    /** The calls of BatchWriteItem get, in turn, these faults; the rest pass. */
    private void script(Fault... faults) {
        List<Fault> queue = new ArrayList<>(List.of(faults));
        proxy.policy((operation, n) -> {
            if (!operation.equals("BatchWriteItem")) {
                return Fault.NONE;
            }
            synchronized (queue) {
                return queue.isEmpty() ? Fault.NONE : queue.remove(0);
            }
        });
    }

    /** Not passed on: every request of the batch answered as unprocessed, as DynamoDB may answer. */
    private static Fault allUnprocessed() {
        return Fault.answered("all unprocessed", false, (request, answer) -> {
            ObjectNode body = (ObjectNode) JSON.readTree(request);
            String name = body.get("RequestItems").fieldNames().next();
            ObjectNode reply = JSON.createObjectNode();
            reply.putObject("UnprocessedItems").set(name, (ArrayNode) body.get("RequestItems").get(name));
            return reply.toString();
        });
    }

    private BatchWriter writer(DeadLetterFile deadLetters, int maxRetries) {
        TableSchema schema = TableSchema.builder().name(table).environment("test").keys(KEYS).billingMode("PAY_PER_REQUEST")
                .status("ACTIVE").build();
        Environment environment = new Environment("test", null, Region.US_EAST_1, proxy.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        TableRef ref = new TableRef(environment, client, schema, CapacityLimiter.of(0), CapacityLimiter.of(0));
        Retrier retrier = new Retrier(new Backoff(1, 4, new Random(1)), maxRetries, counters);
        return new BatchWriter(ref, BatchWriter.Kind.PUT, retrier, counters, deadLetters, null);
    }

    private static Page page(int items) {
        List<Map<String, AttributeValue>> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(Map.of("pk", AttributeValue.fromS("k" + i), "v", AttributeValue.fromN(String.valueOf(i))));
        }
        return new Page(0, 0, list);
    }

    private List<String> keysInTable() {
        return TestTables.scanAll(db.client(), table).stream().map(item -> item.get("pk").s()).sorted().toList();
    }

    private static List<String> keys(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("k" + i);
        }
        return keys.stream().sorted().toList();
    }

    @Test
    void retriesUnprocessedItems_untilAllAreWritten() throws InterruptedException {
        script(Fault.partialBatch(0.4), Fault.partialBatch(0.3)); // 10 of 25 left unprocessed, then 3 of those 10
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        writer(deadLetters, 5).consume(page(25));

        assertThat(batchSizes).containsExactly(25, 10, 3);
        assertThat(counters.written.sum()).isEqualTo(25);
        assertThat(counters.retried.sum()).isEqualTo(2);
        assertThat(counters.throttled.sum()).isEqualTo(2);
        assertThat(deadLetters.count()).isZero();
        assertThat(keysInTable()).isEqualTo(keys(25));
    }

    @Test
    void retriesThrottlingAnd5xx_thenWrites() throws InterruptedException {
        script(Fault.throughputExceeded(), Fault.throttling(), Fault.requestLimitExceeded(), Fault.internalServerError());
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        writer(deadLetters, 5).consume(page(30));

        assertThat(batchSizes).containsExactly(25, 25, 25, 25, 25, 5);
        assertThat(counters.written.sum()).isEqualTo(30);
        assertThat(counters.retried.sum()).isEqualTo(4);
        assertThat(counters.throttled.sum()).isEqualTo(3);
        assertThat(keysInTable()).isEqualTo(keys(30));
    }

    @Test
    void deadLettersWhatIsStillUnprocessed_afterTheLastRetry() throws InterruptedException {
        script(Fault.partialBatch(0.4), allUnprocessed(), allUnprocessed(), allUnprocessed()); // k3 and k4 never written
        Path file = dir.resolve("dead.jsonl");
        DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"));

        writer(deadLetters, 3).consume(page(5));
        deadLetters.close();

        assertThat(batchSizes).containsExactly(5, 2, 2, 2);
        assertThat(counters.written.sum()).isEqualTo(3);
        assertThat(counters.failed.sum()).isEqualTo(2);
        assertThat(ItemFileReader.readAll(file)).containsExactly(
                Map.of("pk", AttributeValue.fromS("k3"), "v", AttributeValue.fromN("3")),
                Map.of("pk", AttributeValue.fromS("k4"), "v", AttributeValue.fromN("4")));
        assertThat(keysInTable()).containsExactly("k0", "k1", "k2");
    }

    @Test
    void deadLettersOnlyTheRejectedItem_ofARejectedBatch() throws InterruptedException {
        List<Map<String, AttributeValue>> items = new ArrayList<>(page(4).items());
        items.set(1, Map.of("pk", AttributeValue.fromN("1"))); // the engine refuses a number where the key is a string
        Path file = dir.resolve("dead.jsonl");
        DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"));

        writer(deadLetters, 3).consume(new Page(0, 0, items));
        deadLetters.close();

        assertThat(batchSizes).containsExactly(4, 1, 1, 1, 1);
        assertThat(counters.written.sum()).isEqualTo(3);
        assertThat(counters.failed.sum()).isEqualTo(1);
        assertThat(counters.retried.sum()).isZero();
        assertThat(ItemFileReader.readAll(file)).containsExactly(Map.of("pk", AttributeValue.fromN("1")));
        assertThat(keysInTable()).containsExactly("k0", "k2", "k3");
    }

    @Test
    void stopsTheCopy_onAnErrorRetriesCannotFix() {
        script(Fault.accessDenied());
        DeadLetterFile deadLetters = new DeadLetterFile(dir.resolve("dead.jsonl"), List.of("pk"));

        assertThatThrownBy(() -> writer(deadLetters, 3).consume(page(2)))
                .isInstanceOf(DynamoException.class)
                .hasMessageStartingWith("access denied in 'test' (" + proxy.env() + ", us-east-1) while writing to table '" + table + "'");
        assertThat(deadLetters.count()).isZero();
        assertThat(keysInTable()).isEmpty();
    }

    @Test
    void stopsTheCopy_whenTheDeadLetterFileCannotBeWritten() throws IOException {
        Path notADirectory = Files.createFile(dir.resolve("file"));
        DeadLetterFile deadLetters = new DeadLetterFile(notADirectory.resolve("dead.jsonl"), List.of("pk"));

        assertThatThrownBy(() -> writer(deadLetters, 3).consume(new Page(0, 0, List.of(Map.of("pk", AttributeValue.fromN("1"))))))
                .isInstanceOf(DynamoException.class)
                .hasMessageStartingWith("cannot append to the dead-letter file " + notADirectory.resolve("dead.jsonl"))
                .hasMessageContaining("; the copy stopped so that no item is lost (ValidationException: ");
    }

    @Test
    void classifiesErrors() {
        BiFunction<String, Integer, AwsServiceException> error = (code, status) -> DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
        assertThat(Retrier.classify(error.apply("ProvisionedThroughputExceededException", 400))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error.apply("ThrottlingException", 400))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error.apply("RequestLimitExceeded", 400))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error.apply("Whatever", 429))).isEqualTo(Retrier.Failure.THROTTLED);
        assertThat(Retrier.classify(error.apply("InternalServerError", 500))).isEqualTo(Retrier.Failure.TRANSIENT);
        assertThat(Retrier.classify(error.apply("ServiceUnavailable", 503))).isEqualTo(Retrier.Failure.TRANSIENT);
        assertThat(Retrier.classify(error.apply("ValidationException", 400))).isEqualTo(Retrier.Failure.REJECTED);
        assertThat(Retrier.classify(error.apply("ResourceNotFoundException", 400))).isEqualTo(Retrier.Failure.FATAL);
        assertThat(Retrier.classify(error.apply("UnrecognizedClientException", 400))).isEqualTo(Retrier.Failure.FATAL);
    }
}
