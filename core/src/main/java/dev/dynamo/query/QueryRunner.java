package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import dev.dynamo.env.DamagedAnswer;
import dev.dynamo.env.Environment;
import dev.dynamo.env.RawBodies;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.env.StrictItems;
import dev.dynamo.table.IndexKind;
import dev.dynamo.table.AttributeValues;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.table.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Runs queries of one table and its indexes, page by page, handing items on as they arrive so
 * memory stays flat whatever the result size. Thread-safe for distinct calls. [API: Query]
 */
@API(status = STABLE, since = "0.1")
public final class QueryRunner {
    private static final Consumer<QueryStats> NO_PROGRESS = stats -> { };

    private final DynamoDbClient client;
    private final Environment environment;
    private final TableSchema table;

    public QueryRunner(DynamoDbClient client, Environment environment, TableSchema table) {
        this.client = client;
        this.environment = environment;
        this.table = table;
    }

    /**
     * Reads every matching item (up to the spec's limit) and hands each to {@code sink} in order.
     *
     * @throws DynamoException (usage) for a value that does not fit the key's type or an option the
     *                         index does not allow; (failure) when DynamoDB cannot be reached or refuses
     */
    public QueryStats forEach(QuerySpec spec, Consumer<Map<String, AttributeValue>> sink) {
        return forEach(spec, sink, NO_PROGRESS);
    }

    /**
     * As {@link #forEach(QuerySpec, Consumer)}, and after each page hands {@code progress} what was read so far
     * (on the calling thread; a live progress line reads the last one from another).
     */
    public QueryStats forEach(QuerySpec spec, Consumer<Map<String, AttributeValue>> sink, Consumer<QueryStats> progress) {
        QueryRequest request = request(spec, false);
        long remaining = spec.limit() > 0 ? spec.limit() : Long.MAX_VALUE;
        long count = 0;
        long scanned = 0;
        long pages = 0;
        double capacity = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = call(startKey == null ? request : request.toBuilder().exclusiveStartKey(startKey).build());
            pages++;
            scanned += page.scannedCount();
            capacity += capacityUnits(page);
            for (Map<String, AttributeValue> item : page.items()) {
                if (remaining == 0) {
                    break;
                }
                sink.accept(item);
                count++;
                remaining--;
            }
            startKey = nextStartKey(page);
            progress.accept(new QueryStats(count, scanned, pages, capacity));
        } while (startKey != null && remaining > 0);
        return new QueryStats(count, scanned, pages, capacity);
    }

    /**
     * The first matching item, without reading the rest: one Query call of {@code Limit 1} (with a filter, pages
     * until one holds a match, as DynamoDB applies the limit before the filter). The count comes with it only
     * when those pages were the whole result ({@link QueryHead#complete}); it is never read on purpose, since
     * counting a large partition costs as much as reading it.
     */
    public QueryHead head(QuerySpec spec) {
        QueryRequest request = request(spec.withLimit(1), false);
        Map<String, AttributeValue> first = null;
        long matched = 0;
        long scanned = 0;
        long pages = 0;
        double capacity = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = call(startKey == null ? request : request.toBuilder().exclusiveStartKey(startKey).build());
            pages++;
            matched += page.items().size();
            scanned += page.scannedCount();
            capacity += capacityUnits(page);
            if (first == null && !page.items().isEmpty()) {
                first = page.items().get(0);
            }
            startKey = nextStartKey(page);
        } while (first == null && startKey != null);
        long count = spec.limit() > 0 ? Math.min(matched, spec.limit()) : matched;
        return new QueryHead(first, startKey == null, new QueryStats(count, scanned, pages, capacity));
    }

    /** The read units a page consumed, 0 when the answer does not say (it was not asked for, or the engine left it out). */
    private static double capacityUnits(QueryResponse page) {
        return page.consumedCapacity() == null || page.consumedCapacity().capacityUnits() == null
                ? 0 : page.consumedCapacity().capacityUnits();
    }

    /** Where the next page starts, or null after the last page. */
    private static Map<String, AttributeValue> nextStartKey(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    }

    /** Counts the matching items with {@code Select COUNT}: no item is transferred. */
    public QueryStats count(QuerySpec spec) {
        return count(spec, NO_PROGRESS);
    }

    /** As {@link #count(QuerySpec)}, and after each page hands {@code progress} the count so far (on the calling thread). */
    public QueryStats count(QuerySpec spec, Consumer<QueryStats> progress) {
        QueryRequest request = request(spec, true);
        long count = 0;
        long scanned = 0;
        long pages = 0;
        double capacity = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = call(startKey == null ? request : request.toBuilder().exclusiveStartKey(startKey).build());
            pages++;
            count += page.count();
            scanned += page.scannedCount();
            capacity += capacityUnits(page);
            startKey = nextStartKey(page);
            progress.accept(new QueryStats(spec.limit() > 0 ? Math.min(count, spec.limit()) : count, scanned, pages, capacity));
        } while (startKey != null && (spec.limit() == 0 || count < spec.limit()));
        return new QueryStats(spec.limit() > 0 ? Math.min(count, spec.limit()) : count, scanned, pages, capacity);
    }

    /** The key schema the query runs against: the index's, or the table's. */
    public KeySchema keysOf(QuerySpec spec) {
        return spec.index() == null ? table.keys() : table.index(spec.index()).keys();
    }

    /**
     * The first request of the query, fully typed and validated.
     *
     * @param countOnly {@code Select COUNT} instead of items
     */
    public QueryRequest request(QuerySpec spec, boolean countOnly) {
        IndexSchema index = spec.index() == null ? null : table.index(spec.index());
        KeySchema keys = index == null ? table.keys() : index.keys();
        String indexText = index == null ? "" : " of index '" + index.name() + "'";
        if (spec.consistent() && index != null && index.kind() == IndexKind.GSI) {
            throw DynamoException.usage("--consistent is not allowed on global secondary index '" + index.name()
                    + "': GSIs only support eventually consistent reads; drop --consistent, or query the table or an LSI");
        }
        if (index != null && index.kind() == IndexKind.GSI && !index.projection().isAll()) {
            checkProjected(index, spec, countOnly);
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#pk", keys.partitionKey().name());
        values.put(":pk", keys.partitionKey().type().parse(spec.partitionValue(),
                "partition key '" + keys.partitionKey().name() + "'" + indexText));
        String keyCondition = "#pk = :pk";
        if (spec.sortKey() != null) {
            if (!keys.hasSortKey()) {
                throw DynamoException.usage(spec.sortKey().operator().option() + " needs a sort key, but "
                        + (index == null ? "table '" + table.name() + "'" : "index '" + index.name() + "'")
                        + " has only a partition key (" + keys.partitionKey() + ")");
            }
            names.put("#sk", keys.sortKey().name());
            keyCondition += " AND " + spec.sortKey().expression(keys.sortKey(), indexText, values);
        }
        QueryRequest.Builder builder = QueryRequest.builder()
                .tableName(table.name())
                .indexName(index == null ? null : index.name())
                .keyConditionExpression(keyCondition)
                .scanIndexForward(!spec.descending())
                .consistentRead(spec.consistent() ? Boolean.TRUE : null)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (!spec.where().isEmpty()) {
            checkWhereTypes(spec.where());
            builder.filterExpression(WhereCondition.expression(spec.where(), names, values));
        }
        if (countOnly) {
            builder.select(Select.COUNT);
        } else if (!spec.projection().isEmpty()) {
            builder.projectionExpression(projection(spec.projection(), names));
        }
        if (spec.limit() > 0 && spec.where().isEmpty()) {
            // Without a filter every evaluated item is returned, so one page of exactly the limit is enough.
            builder.limit((int) Math.min(spec.limit(), Integer.MAX_VALUE));
        }
        return builder.expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    /**
     * A GSI holds only its projected attributes and, unlike an LSI, cannot fetch others from the table:
     * DynamoDB rejects a query that asks for one (in --projection, --unique or --where). Checked here,
     * before any request, with a message that says what to do; engines that do not check (dynalite)
     * would otherwise answer without the attribute.
     */
    private void checkProjected(IndexSchema index, QuerySpec spec, boolean countOnly) {
        Set<String> held = new HashSet<>(index.projection().nonKeyAttributes());
        held.addAll(table.keys().names());
        held.addAll(index.keys().names());
        List<String> asked = new ArrayList<>();
        if (!countOnly) {
            spec.projection().forEach(path -> asked.add(topLevel(path)));
        }
        spec.where().forEach(condition -> asked.add(topLevel(condition.path())));
        for (String attribute : asked) {
            if (!held.contains(attribute)) {
                throw DynamoException.usage("global secondary index '" + index.name() + "' of table '" + table.name() + "' projects "
                        + index.projection() + ", so it has no attribute '" + attribute + "' to return or filter on; query the table"
                        + " (without -i), or an index that projects it");
            }
        }
    }

    /**
     * A --where value that cannot have the type of a key attribute (of the table or an index: the only
     * attributes whose type DynamoDB knows) can match nothing: {@code total > abc} on a number key would
     * quietly return no item. Refused, naming the type. For other attributes the value's own form
     * decides (a bare word is a string, a number a number: see WhereCondition).
     */
    private void checkWhereTypes(List<WhereCondition> conditions) {
        Map<String, KeyType> known = new HashMap<>();
        table.keys().attributes().forEach(key -> known.put(key.name(), key.type()));
        table.indexes().forEach(index -> index.keys().attributes().forEach(key -> known.put(key.name(), key.type())));
        for (WhereCondition condition : conditions) {
            KeyType type = known.get(condition.path());
            AttributeValue value = condition.value();
            if (type == null || value == null || condition.operator().equals("contains")) {
                continue;
            }
            if (!type.matches(value)) { // a --where value is never binary, so never fits a binary key
                String given = value.n() != null ? "a number" : value.s() != null ? "a string" : value.bool() != null ? "a boolean"
                        : "null";
                throw DynamoException.usage("--where '" + condition.path() + " " + condition.operator() + " ...' compares " + given
                        + " with '" + condition.path() + "', a key attribute of type " + type + " in table '" + table.name()
                        + "', so no item could match" + (type == KeyType.S && value.n() != null
                        ? "; quote the value to compare it as a string: " + condition.path() + " " + condition.operator() + " \""
                                + value.n() + "\"" : ""));
            }
        }
    }

    /** The attribute a document path starts with: {@code address} for {@code address.city[0]}. */
    private static String topLevel(String path) {
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return path.substring(0, end);
    }

    private static String projection(List<String> attributes, Map<String, String> names) {
        StringBuilder expression = new StringBuilder();
        for (int i = 0; i < attributes.size(); i++) {
            String placeholder = "#p" + i;
            names.put(placeholder, attributes.get(i));
            expression.append(i == 0 ? "" : ", ").append(placeholder);
        }
        return expression.toString();
    }

    private QueryResponse call(QueryRequest request) {
        try {
            QueryResponse page = client.query(request.toBuilder()
                    .overrideConfiguration(o -> o.putExecutionAttribute(RawBodies.RESPONSE_FILTER, StrictItems.filter("Query"))).build());
            // A page that cannot be right (no Count, Items missing or miscounted, a LastEvaluatedKey that does not move on)
            // would print a wrong answer or loop for ever: the query stops with one line instead.
            // A count (Select COUNT) has no Items at all.
            boolean counting = request.select() == Select.COUNT;
            if (counting && !page.items().isEmpty()) {
                throw DamagedAnswer.of("Query", "items in the answer to a count");
            }
            DamagedAnswer.checkPage("Query", page.count(), counting || page.hasItems(),
                    counting && page.count() != null ? page.count() : page.items().size(), page.scannedCount(),
                    request.limit(), request.filterExpression() != null, request.exclusiveStartKey(), page.lastEvaluatedKey());
            if (request.projectionExpression() == null) {
                // Whole items (or an index's projection, which always holds the table's key and its own): each has both
                // keys, the partition asked for, and no item comes twice. One that does not is from another table, or damaged.
                // Compared by value: a number key is asked as written (42.000) and answered as stored (42).
                String partition = AttributeValues.canonical(request.expressionAttributeValues().get(":pk"));
                IndexSchema index = request.indexName() == null ? null : table.index(request.indexName());
                KeySchema queried = index == null ? table.keys() : index.keys();
                DamagedAnswer.checkItems("Query", page.items(), item -> {
                    String problem = table.keys().problemWith(item);
                    if (problem == null && index != null) {
                        problem = index.keys().problemWith(item);
                    }
                    if (problem == null && !partition.equals(AttributeValues.canonical(item.get(queried.partitionKey().name())))) {
                        problem = "an item of another partition than the one asked for";
                    }
                    return problem;
                }, table.keys()::keyOf);
            }
            return page;
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
                throw DynamoException.usage("DynamoDB rejected the query of '" + table.name() + "' in " + environment.describe()
                        + ": " + e.awsErrorDetails().errorMessage());
            }
            throw ServiceErrors.translate(environment, "querying table '" + table.name() + "'", e);
        } catch (SdkException e) {
            throw ServiceErrors.translate(environment, "querying table '" + table.name() + "'", e);
        }
    }
}
