package dev.dynamo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The fault proxy injects what it says, and forwards the rest to the real server. */
@EngineTest
class FaultProxyTest {

    private static DynamoDbClient clientThrough(FaultProxy proxy) {
        return DynamoDbClient.builder()
                .endpointOverride(proxy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static String table(LocalDynamoDb db) {
        return TestTables.table("proxy").partitionKey("id", ScalarAttributeType.S).create(db.client());
    }

    private static Map<String, AttributeValue> item(String id) {
        return Map.of("id", AttributeValue.fromS(id), "v", AttributeValue.fromN("1"));
    }

    @Test
    void forwardsRequests_whenNoFaultIsSet(LocalDynamoDb db) {
        String table = table(db);
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()); DynamoDbClient client = clientThrough(proxy)) {
            client.putItem(b -> b.tableName(table).item(item("a")));
            assertThat(client.listTables().tableNames()).contains(table);
            assertThat(proxy.requests()).isEqualTo(2);
            assertThat(proxy.injectedTotal()).isZero();
        }
        assertThat(TestTables.scanAll(db.client(), table)).containsExactly(item("a"));
    }

    @Test
    void answersWithThrottling_withoutForwarding(LocalDynamoDb db) {
        String table = table(db);
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> Fault.throughputExceeded());
                DynamoDbClient client = clientThrough(proxy)) {
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(item("a"))))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThat(proxy.injected()).containsEntry("PutItem:ProvisionedThroughputExceededException", 1L);
        }
        assertThat(TestTables.scanAll(db.client(), table)).isEmpty();
    }

    @Test
    void answersWith503_asAServiceError(LocalDynamoDb db) {
        String table = table(db);
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> Fault.serviceUnavailable());
                DynamoDbClient client = clientThrough(proxy)) {
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(item("a"))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        }
    }

    @Test
    void forwardsPartOfABatch_andReturnsTheRestAsUnprocessed(LocalDynamoDb db) {
        String table = table(db);
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item("i" + i)).build()).build());
        }
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> Fault.partialBatch(0.4));
                DynamoDbClient client = clientThrough(proxy)) {
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
            assertThat(response.unprocessedItems().get(table)).containsExactlyElementsOf(writes.subList(6, 10));
        }
        assertThat(TestTables.scanAll(db.client(), table)).hasSize(6)
                .containsExactlyInAnyOrderElementsOf(writes.subList(0, 6).stream().map(w -> w.putRequest().item()).toList());
    }

    @Test
    void resetsAfterForwarding_soTheWriteHappensButItsAnswerIsLost(LocalDynamoDb db) {
        String table = table(db);
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> op.equals("PutItem") ? Fault.resetAfter() : Fault.NONE);
                DynamoDbClient client = clientThrough(proxy)) {
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(item("a"))))
                    .isInstanceOf(SdkClientException.class);
        }
        assertThat(TestTables.scanAll(db.client(), table)).containsExactly(item("a"));
    }

    @Test
    void resetsBeforeForwarding_soNothingIsWritten(LocalDynamoDb db) {
        String table = table(db);
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> Fault.resetBefore());
                DynamoDbClient client = clientThrough(proxy)) {
            assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(item("a"))))
                    .isInstanceOf(SdkClientException.class);
        }
        assertThat(TestTables.scanAll(db.client(), table)).isEmpty();
    }

    @Test
    void delaysResponses(LocalDynamoDb db) {
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> Fault.delay(300));
                DynamoDbClient client = clientThrough(proxy)) {
            long start = System.nanoTime();
            client.listTables();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        }
    }
}
