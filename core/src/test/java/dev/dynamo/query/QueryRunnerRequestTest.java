package dev.dynamo.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.table.IndexKind;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.table.Projection;
import dev.dynamo.table.TableSchema;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** The Query requests built from a spec, without a server: building a request calls nothing. */
class QueryRunnerRequestTest {
    private static final Environment LOCAL = new Environment("http://localhost:8000", null, Region.US_EAST_1,
            URI.create("http://localhost:8000"), AnonymousCredentialsProvider.create());
    private static final TableSchema ORDERS = TableSchema.builder().name("Orders").environment(LOCAL.describe())
            .keys(new KeySchema(new KeyAttribute("pk", KeyType.S), new KeyAttribute("sk", KeyType.N)))
            .indexes(List.of(new IndexSchema("byStatus", IndexKind.GSI, new KeySchema(new KeyAttribute("status", KeyType.S), null),
                            new Projection(ProjectionType.KEYS_ONLY, List.of())),
                    new IndexSchema("byBlob", IndexKind.LSI,
                            new KeySchema(new KeyAttribute("pk", KeyType.S), new KeyAttribute("blob", KeyType.B)),
                            new Projection(ProjectionType.ALL, List.of()))))
            .billingMode("PAY_PER_REQUEST").status("ACTIVE").build();

    private final QueryRunner runner = new QueryRunner(null, LOCAL, ORDERS);

    @Test
    void queriesOnePartition_ascending_eventuallyConsistent() {
        QueryRequest request = runner.request(QuerySpec.partition("Orders", "customer#1"), false);
        assertThat(request.tableName()).isEqualTo("Orders");
        assertThat(request.indexName()).isNull();
        assertThat(request.keyConditionExpression()).isEqualTo("#pk = :pk");
        assertThat(request.expressionAttributeNames()).containsExactly(Map.entry("#pk", "pk"));
        assertThat(request.expressionAttributeValues()).containsExactly(Map.entry(":pk", AttributeValue.fromS("customer#1")));
        assertThat(request.scanIndexForward()).isTrue();
        assertThat(request.consistentRead()).isNull();
        assertThat(request.limit()).isNull();
        assertThat(request.filterExpression()).isNull();
        assertThat(request.projectionExpression()).isNull();
        assertThat(request.select()).isNull();
    }

    @Test
    void typesEverySortKeyCondition_bySchema() {
        assertThat(keyCondition(SortKeyCondition.of(SortKeyCondition.Operator.EQ, "1.50"))).isEqualTo("#pk = :pk AND #sk = :sk");
        assertThat(keyCondition(SortKeyCondition.of(SortKeyCondition.Operator.LT, "2"))).isEqualTo("#pk = :pk AND #sk < :sk");
        assertThat(keyCondition(SortKeyCondition.of(SortKeyCondition.Operator.LE, "2"))).isEqualTo("#pk = :pk AND #sk <= :sk");
        assertThat(keyCondition(SortKeyCondition.of(SortKeyCondition.Operator.GT, "2"))).isEqualTo("#pk = :pk AND #sk > :sk");
        assertThat(keyCondition(SortKeyCondition.of(SortKeyCondition.Operator.GE, "2"))).isEqualTo("#pk = :pk AND #sk >= :sk");
        QueryRequest between = runner.request(QuerySpec.partition("Orders", "c").withSortKey(SortKeyCondition.between("-1", "1e2")), false);
        assertThat(between.keyConditionExpression()).isEqualTo("#pk = :pk AND #sk BETWEEN :sk AND :sk2");
        assertThat(between.expressionAttributeValues()).containsEntry(":sk", AttributeValue.fromN("-1"))
                .containsEntry(":sk2", AttributeValue.fromN("1e2"));
        assertThat(between.expressionAttributeNames()).containsEntry("#sk", "sk");
    }

    @Test
    void queriesAnIndex_withItsOwnKeys() {
        QueryRequest request = runner.request(QuerySpec.partition("Orders", "AQID").withIndex("byBlob")
                .withSortKey(SortKeyCondition.of(SortKeyCondition.Operator.BEGINS_WITH, "EA==")), false);
        assertThat(request.indexName()).isEqualTo("byBlob");
        assertThat(request.keyConditionExpression()).isEqualTo("#pk = :pk AND begins_with(#sk, :sk)");
        assertThat(request.expressionAttributeNames()).containsEntry("#sk", "blob");
        assertThat(request.expressionAttributeValues().get(":sk").b().asByteArray()).containsExactly(0x10);
        assertThat(runner.keysOf(QuerySpec.partition("Orders", "x").withIndex("byStatus")).names()).containsExactly("status");
    }

    @Test
    void countsWithSelectCount_withoutProjection() {
        QueryRequest request = runner.request(QuerySpec.partition("Orders", "c").withProjection(List.of("a")), true);
        assertThat(request.select()).isEqualTo(Select.COUNT);
        assertThat(request.projectionExpression()).isNull();
    }

    @Test
    void projectsAttributes_throughPlaceholders() {
        QueryRequest request = runner.request(QuerySpec.partition("Orders", "c").withProjection(List.of("size", "a.b")), false);
        assertThat(request.projectionExpression()).isEqualTo("#p0, #p1");
        assertThat(request.expressionAttributeNames()).containsEntry("#p0", "size").containsEntry("#p1", "a.b");
    }

    @Test
    void asksForOnlyTheLimit_unlessAFilterMayDropItems() {
        assertThat(runner.request(QuerySpec.partition("Orders", "c").withLimit(7), false).limit()).isEqualTo(7);
        QuerySpec filtered = QuerySpec.builder().table("Orders").partitionValue("c").where(List.of(WhereCondition.parse("a = 1")))
                .limit(7).build();
        QueryRequest request = runner.request(filtered, false);
        assertThat(request.limit()).isNull();
        assertThat(request.filterExpression()).isEqualTo("#w0_0 = :w0");
    }

    @Test
    void readsDescendingAndConsistently_whenAsked() {
        QueryRequest request = runner.request(QuerySpec.builder().table("Orders").index("byBlob").partitionValue("c")
                .descending(true).consistent(true).build(), false);
        assertThat(request.scanIndexForward()).isFalse();
        assertThat(request.consistentRead()).isTrue();
    }

    @Test
    void refusesConsistentReads_onAGsi() {
        assertUsage(QuerySpec.builder().table("Orders").index("byStatus").partitionValue("open").consistent(true).build(),
                "--consistent is not allowed on global secondary index 'byStatus'");
    }

    @Test
    void refusesValues_thatDoNotFitTheKeys() {
        assertUsage(QuerySpec.partition("Orders", "c").withSortKey(SortKeyCondition.of(SortKeyCondition.Operator.EQ, "x")),
                "sort key 'sk' is a number (N) key, but 'x' is not a number");
        assertUsage(QuerySpec.partition("Orders", "c").withIndex("byBlob")
                        .withSortKey(SortKeyCondition.between("AQ==", "%%")),
                "sort key 'blob' of index 'byBlob' is a binary (B) key: give it as base64, but '%%' is not base64");
        assertUsage(QuerySpec.partition("Orders", "").withIndex("byStatus"), "partition key 'status' of index 'byStatus' is a string key");
        assertUsage(QuerySpec.partition("Orders", "s").withIndex("byStatus")
                        .withSortKey(SortKeyCondition.of(SortKeyCondition.Operator.GT, "1")),
                "--sk-gt needs a sort key, but index 'byStatus' has only a partition key (status (S))");
        assertUsage(QuerySpec.partition("Orders", "c").withIndex("nope"), "index 'nope' not found on table 'Orders' in "
                + "'http://localhost:8000' (us-east-1); its indexes are: byStatus (GSI), byBlob (LSI)");
    }

    private String keyCondition(SortKeyCondition condition) {
        return runner.request(QuerySpec.partition("Orders", "c").withSortKey(condition), false).keyConditionExpression();
    }

    private void assertUsage(QuerySpec spec, String messageStart) {
        assertThatThrownBy(() -> runner.request(spec, false))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(messageStart);
    }
}
