package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What DescribeTable says of a table, reduced to what {@code dynamo} uses. Built once per command.
 *
 * @param name        the table name
 * @param environment the environment it was described in, as {@code Environment.describe()} puts it (for messages)
 * @param keys        the primary key
 * @param indexes     GSIs and LSIs, in DescribeTable's order (GSIs first)
 * @param itemCount   DynamoDB's item count (updated about every six hours)
 * @param sizeBytes   DynamoDB's table size in bytes (same)
 * @param billingMode PAY_PER_REQUEST or PROVISIONED
 * @param status      ACTIVE, CREATING, UPDATING, ...
 * @param readCapacity  provisioned RCU, 0 for on-demand
 * @param writeCapacity provisioned WCU, 0 for on-demand
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
@RecordBuilder.Options(useImmutableCollections = true)
public record TableSchema(
        String name,
        String environment,
        KeySchema keys,
        List<IndexSchema> indexes,
        long itemCount,
        long sizeBytes,
        String billingMode,
        String status,
        long readCapacity,
        long writeCapacity) {

    public TableSchema {
        indexes = List.copyOf(indexes);
    }

    public Optional<IndexSchema> findIndex(String indexName) {
        return indexes.stream().filter(index -> index.name().equals(indexName)).findFirst();
    }

    /**
     * The named index.
     *
     * @throws DynamoException (usage) naming the indexes that do exist
     */
    public IndexSchema index(String indexName) {
        return findIndex(indexName).orElseThrow(() -> {
            String existing = indexes.isEmpty()
                    ? "the table has no secondary indexes"
                    : "its indexes are: " + String.join(", ", indexes.stream()
                            .sorted(Comparator.comparing(IndexSchema::kind).thenComparing(IndexSchema::name))
                            .map(IndexSchema::toString).toList());
            return DynamoException.usage("index '" + indexName + "' not found on table '" + name + "' in " + environment
                    + "; " + existing);
        });
    }

    public static TableSchemaBuilder builder() {
        return TableSchemaBuilder.builder();
    }
}
