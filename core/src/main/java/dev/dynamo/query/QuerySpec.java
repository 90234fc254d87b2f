package dev.dynamo.query;

import java.util.List;

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
        return new QuerySpec(table, null, partitionValue, null, List.of(), List.of(), 0, false, false);
    }

    public QuerySpec withIndex(String indexName) {
        return new QuerySpec(table, indexName, partitionValue, sortKey, where, projection, limit, descending, consistent);
    }

    public QuerySpec withSortKey(SortKeyCondition condition) {
        return new QuerySpec(table, index, partitionValue, condition, where, projection, limit, descending, consistent);
    }

    public QuerySpec withProjection(List<String> attributes) {
        return new QuerySpec(table, index, partitionValue, sortKey, where, attributes, limit, descending, consistent);
    }

    public QuerySpec withLimit(long maxItems) {
        return new QuerySpec(table, index, partitionValue, sortKey, where, projection, maxItems, descending, consistent);
    }
}
