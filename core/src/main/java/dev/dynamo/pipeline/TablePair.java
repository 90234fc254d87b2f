package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.query.QueryRunner;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import java.time.Duration;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The source and target environments of a copy or a verification, with the one client each that
 * the job opens for them, and the checks both jobs make before they read an item: describing the
 * tables, refusing the same table on both sides, keys that differ, and a selection that would not
 * match the same items on both. Written once so that both jobs say the same thing the same way;
 * each job adds only what the refusal means for it (a copy would delete what it copies, a
 * verification would have nothing to compare).
 *
 * <p>The clients are thread-safe and shared by all of a job's workers; {@link #close} closes both.
 * The pair itself is used by the one thread that prepares the job.
 */
@API(status = INTERNAL, since = "0.1")
public final class TablePair implements AutoCloseable {
    private final Environment sourceEnvironment;
    private final Environment targetEnvironment;
    private final DynamoDbClient sourceClient;
    private final DynamoDbClient targetClient;

    private TablePair(Environment sourceEnvironment, Environment targetEnvironment, DynamoDbClient sourceClient,
            DynamoDbClient targetClient) {
        this.sourceEnvironment = sourceEnvironment;
        this.targetEnvironment = targetEnvironment;
        this.sourceClient = sourceClient;
        this.targetClient = targetClient;
    }

    /**
     * Opens one client per environment, with room for {@code workers} calls at once each.
     *
     * @param attemptTimeout how long one attempt of a call may take before it is abandoned and retried
     */
    public static TablePair open(Environment source, Environment target, int workers, Duration attemptTimeout) {
        DynamoDbClient sourceClient = DynamoClientFactory.create(source, workers, 0, attemptTimeout);
        return new TablePair(source, target, sourceClient, DynamoClientFactory.create(target, workers, 0, attemptTimeout));
    }

    /** What a job checks before it runs; it may be interrupted while it calls DynamoDB. */
    @FunctionalInterface
    public interface Check {
        void run() throws InterruptedException;
    }

    /**
     * Runs a new job's {@code check} and returns the job; when the check fails, closes the job (its
     * clients, and whatever else it holds) before the failure goes on.
     *
     * @param interrupted the message when interrupted, e.g. {@code interrupted while preparing the copy}
     * @throws DynamoException (exit code 130) when interrupted, with the interrupt status restored
     */
    public static <J> J prepare(J job, Check check, Runnable close, String interrupted) {
        try {
            check.run();
            return job;
        } catch (InterruptedException e) {
            close.run();
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, interrupted, e);
        } catch (RuntimeException | Error e) {
            close.run();
            throw e;
        }
    }

    public Environment sourceEnvironment() {
        return sourceEnvironment;
    }

    public Environment targetEnvironment() {
        return targetEnvironment;
    }

    public DynamoDbClient sourceClient() {
        return sourceClient;
    }

    public DynamoDbClient targetClient() {
        return targetClient;
    }

    /**
     * The source table's description.
     *
     * @throws DynamoException (usage) when there is no such table, naming the command that lists the tables there
     */
    public TableDescription describeSource(Retrier retrier, String table) throws InterruptedException {
        TableDescription description = TableDescriptions.describe(retrier, sourceClient, sourceEnvironment, table);
        if (description == null) {
            throw DynamoException.usage("source table '" + table + "' not found in " + sourceEnvironment.describe()
                    + "; list the tables there with: dynamo tables -e " + sourceEnvironment.name());
        }
        return description;
    }

    /** The target table's description, or null when there is no such table (each job says what that means for it). */
    public TableDescription describeTarget(Retrier retrier, String table) throws InterruptedException {
        return TableDescriptions.describe(retrier, targetClient, targetEnvironment, table);
    }

    public TableSchema sourceSchema(TableDescription table) {
        return TableCatalog.toSchema(table, sourceEnvironment.describe());
    }

    public TableSchema targetSchema(TableDescription table) {
        return TableCatalog.toSchema(table, targetEnvironment.describe());
    }

    /** For messages: {@code table 'Orders' in 'dev' (us-east-1)}. */
    public String describeTarget(String table) {
        return "table '" + table + "' in " + targetEnvironment.describe();
    }

    /**
     * Refuses two tables that are, or write through to, the same data ({@link TableIdentity}) and two
     * tables whose keys differ, whose items cannot be matched.
     *
     * @param sameTable   what the same table would mean for the job, after {@code the source and the target are the
     *                    same table (both are table 'Orders' at http://localhost:8000)}
     * @param keysDiffer  what different keys mean for the job, after {@code the target ... has key pk (S) but the source
     *                    has id (N)}
     */
    public void checkTables(TableDescription source, TableDescription target, String sameTable, String keysDiffer) {
        String same = TableIdentity.sameTable(sourceEnvironment, source, targetEnvironment, target);
        if (same != null) {
            throw DynamoException.usage("the source and the target are the same table (" + same + ")" + sameTable);
        }
        TableSchema sourceSchema = sourceSchema(source);
        TableSchema targetSchema = targetSchema(target);
        if (!targetSchema.keys().equals(sourceSchema.keys())) {
            throw DynamoException.usage("the target " + describeTarget(targetSchema.name()) + " has key " + targetSchema.keys()
                    + " but the source has " + sourceSchema.keys() + keysDiffer);
        }
    }

    /**
     * Checks a selection against the source's schema (types every value, checks the index and the
     * options) and, when the target exists, that the target has its index with the same key and kind,
     * so that it selects the same items on both sides.
     *
     * @param targetSchema the target, or null when it does not exist yet
     * @param whole        the way out when the target lacks the index, after {@code add the index to the target, or}
     */
    public void checkSelection(QuerySpec selection, TableSchema sourceSchema, TableSchema targetSchema, String whole) {
        new QueryRunner(sourceClient, sourceEnvironment, sourceSchema).request(selection, false);
        if (selection.index() == null || targetSchema == null) {
            return;
        }
        IndexSchema sourceIndex = sourceSchema.index(selection.index());
        IndexSchema targetIndex = targetSchema.findIndex(selection.index()).orElseThrow(() -> DynamoException.usage(
                "the target " + describeTarget(targetSchema.name()) + " has no index '" + selection.index() + "', so the items the "
                        + "selection matches there cannot be found; add the index to the target, or " + whole));
        if (!targetIndex.keys().equals(sourceIndex.keys()) || targetIndex.kind() != sourceIndex.kind()) {
            throw DynamoException.usage("index '" + selection.index() + "' has key " + targetIndex.keys() + " (" + targetIndex.kind()
                    + ") on the target but " + sourceIndex.keys() + " (" + sourceIndex.kind() + ") on the source, "
                    + "so the same selection would match different items");
        }
    }

    /** Closes both clients, the target's even when closing the source's fails. */
    @Override
    public void close() {
        try {
            sourceClient.close();
        } finally {
            targetClient.close();
        }
    }
}
