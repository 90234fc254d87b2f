package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What to query: a partition of a table or index, optionally narrowed by a sort-key condition and
 * filters. Values are kept as typed on the command line and typed against the schema when the
 * request is built. The same selection drives {@code dynamo copy} of query-selected items.
 *
 * @param table          the table name
 * @param index          a GSI or LSI name, or null for the table itself
 * @param partitionValue the partition key value, as typed
 * @param sortKey        the sort-key condition, or null
 * @param where          filter conditions, all of which must hold
 * @param projection     the attributes to return, empty for all
 * @param limit          stop after this many items, 0 for no limit
 * @param descending     read the sort key from high to low
 * @param consistent     strongly consistent reads (not allowed on a GSI)
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
@RecordBuilder.Options(useImmutableCollections = true)
public record QuerySpec(
        String table,
        String index,
        String partitionValue,
        SortKeyCondition sortKey,
        List<WhereCondition> where,
        List<String> projection,
        long limit,
        boolean descending,
        boolean consistent) {

    public QuerySpec {
        where = List.copyOf(where);
        projection = List.copyOf(projection);
    }

    /** A query of one partition of a table, everything else default. */
    public static QuerySpec partition(String table, String partitionValue) {
        return builder().table(table).partitionValue(partitionValue).build();
    }

    public QuerySpec withIndex(String indexName) {
        return toBuilder().index(indexName).build();
    }

    public QuerySpec withSortKey(SortKeyCondition condition) {
        return toBuilder().sortKey(condition).build();
    }

    public QuerySpec withProjection(List<String> attributes) {
        return toBuilder().projection(attributes).build();
    }

    public QuerySpec withLimit(long maxItems) {
        return toBuilder().limit(maxItems).build();
    }

    public static QuerySpecBuilder builder() {
        return QuerySpecBuilder.builder();
    }

    /** A builder starting from this query. */
    public QuerySpecBuilder toBuilder() {
        return QuerySpecBuilder.builder(this);
    }
}
