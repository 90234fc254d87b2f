package dev.dynamo.transfer;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.TableCreator;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.Retrier;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/** The table an import writes: whether it may be written (or created), and creating it from the export's definition. */
final class ImportTable {
    private ImportTable() {
    }

    /** The first source that carries a table definition (an export dynamo wrote), or null. */
    static ImportSource defining(List<ImportSource> sources) {
        return sources.stream().filter(source -> source.definition() != null).findFirst().orElse(null);
    }

    /**
     * Refuses an import that could not write a single item: a missing table without {@code --create-table}, or without a
     * definition to create it from, a billing mode that cannot be built, a key other than the exported table's.
     *
     * @param table the table's description, or null when it does not exist
     */
    static void check(ImportPlan plan, Environment environment, TableDescription table, List<ImportSource> sources) {
        ImportSource defining = defining(sources);
        if (table == null && !plan.createTable()) {
            throw DynamoException.usage("table '" + plan.table() + "' not found in " + environment.describe() + "; add "
                    + "--create-table to create it from the export's definition, or create it first");
        }
        if (table == null && defining == null) {
            throw DynamoException.usage("table '" + plan.table() + "' not found in " + environment.describe() + ", and "
                    + "--create-table needs the table's definition, which only exports written by dynamo carry "
                    + "(dynamo-table.json); create the table first");
        }
        if (table == null) {
            TableCreator.request(defining.definition().table(), plan.table(), plan.billing()); // fails now on a bad billing mode
        } else if (defining != null && !keys(table.keySchema()).equals(keys(defining.definition().table().keySchema()))) {
            throw DynamoException.usage("table '" + plan.table() + "' in " + environment.describe() + " has the key "
                    + keys(table.keySchema()) + ", the exported table had " + keys(defining.definition().table().keySchema())
                    + ", so no item could be written; import into a table with the same key");
        }
    }

    /** Creates the table from the first definition among the sources, with its TTL, and waits until it is ACTIVE. */
    static TableDescription create(DynamoDbClient client, Environment environment, ImportPlan plan, List<ImportSource> sources,
            Retrier retrier) {
        ImportSource defining = defining(sources);
        String ttl = defining.definition().timeToLiveAttribute();
        TimeToLiveDescription ttlDescription = ttl == null ? null
                : TimeToLiveDescription.builder().attributeName(ttl).timeToLiveStatus("ENABLED").build();
        try {
            return TableCreator.create(client, environment, TableCreator.request(defining.definition().table(), plan.table(),
                    plan.billing()), ttlDescription, retrier);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted while creating the table", e);
        }
    }

    /** {@code pk (HASH), sk (RANGE)}. */
    private static String keys(List<KeySchemaElement> keys) {
        List<String> names = new ArrayList<>();
        keys.forEach(key -> names.add(key.attributeName() + " (" + key.keyTypeAsString() + ")"));
        return String.join(", ", names);
    }
}
