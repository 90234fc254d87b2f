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

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this query. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.table = table;
        builder.index = index;
        builder.partitionValue = partitionValue;
        builder.sortKey = sortKey;
        builder.where = where;
        builder.projection = projection;
        builder.limit = limit;
        builder.descending = descending;
        builder.consistent = consistent;
        return builder;
    }

    /** Builds a {@link QuerySpec} by name; filters and projection start empty, the rest at "none". */
    public static final class Builder {
        private String table;
        private String index;
        private String partitionValue;
        private SortKeyCondition sortKey;
        private List<WhereCondition> where = List.of();
        private List<String> projection = List.of();
        private long limit;
        private boolean descending;
        private boolean consistent;

        private Builder() {
        }

        public Builder table(String value) {
            this.table = value;
            return this;
        }

        public Builder index(String value) {
            this.index = value;
            return this;
        }

        public Builder partitionValue(String value) {
            this.partitionValue = value;
            return this;
        }

        public Builder sortKey(SortKeyCondition value) {
            this.sortKey = value;
            return this;
        }

        public Builder where(List<WhereCondition> value) {
            this.where = value;
            return this;
        }

        public Builder projection(List<String> value) {
            this.projection = value;
            return this;
        }

        public Builder limit(long value) {
            this.limit = value;
            return this;
        }

        public Builder descending(boolean value) {
            this.descending = value;
            return this;
        }

        public Builder consistent(boolean value) {
            this.consistent = value;
            return this;
        }

        public QuerySpec build() {
            return new QuerySpec(table, index, partitionValue, sortKey, where, projection, limit, descending, consistent);
        }
    }
}
