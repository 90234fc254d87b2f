package dev.dynamo.testing;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Which optional DynamoDB operations an engine has. dynalite has no CreateBackup, UpdateTimeToLive,
 * Streams, transactions or PartiQL; DynamoDB itself has them all. A test that needs one is skipped,
 * with a reason naming it, where the engine lacks it; a test of what dynamo does without one is
 * skipped where the engine has it.
 *
 * <p>The probe asks for the operation on a table that does not exist: an engine that has it says
 * ResourceNotFound (or a validation error), one that lacks it says UnknownOperation.
 */
public final class EngineSupport {
    private static final Map<String, Boolean> KNOWN = new ConcurrentHashMap<>();
    private static final String NO_SUCH_TABLE = "dynamo-probe-no-such-table";

    private EngineSupport() {
    }

    /** Skips the test unless the engine has {@code operation}. */
    public static void assumeSupports(LocalDynamoDb db, String operation) {
        assumeTrue(supports(db, operation), () -> "the engine at " + db.env() + " has no " + operation);
    }

    /** Skips the test where the engine has {@code operation} (the test is about what happens without it). */
    public static void assumeLacks(LocalDynamoDb db, String operation) {
        assumeFalse(supports(db, operation), () -> "the engine at " + db.env() + " has " + operation
                + ", and this test is about an endpoint without it");
    }

    public static boolean supports(LocalDynamoDb db, String operation) {
        return KNOWN.computeIfAbsent(db.env() + " " + operation, key -> probe(db.client(), operation));
    }

    private static boolean probe(DynamoDbClient client, String operation) {
        Consumer<DynamoDbClient> call = switch (operation) {
            case "UpdateTimeToLive" -> c -> c.updateTimeToLive(b -> b.tableName(NO_SUCH_TABLE)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            case "CreateBackup" -> c -> c.createBackup(b -> b.tableName(NO_SUCH_TABLE).backupName("probe"));
            case "DescribeContinuousBackups" -> c -> c.describeContinuousBackups(b -> b.tableName(NO_SUCH_TABLE));
            case "ExecuteStatement" -> c -> c.executeStatement(b -> b.statement("SELECT * FROM \"" + NO_SUCH_TABLE + "\""));
            case "TransactWriteItems" -> c -> c.transactWriteItems(b -> b.transactItems(t -> t.conditionCheck(
                    k -> k.tableName(NO_SUCH_TABLE).key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x")))
                            .conditionExpression("attribute_exists(pk)"))));
            default -> throw new IllegalArgumentException("no probe for " + operation);
        };
        try {
            call.accept(client);
            return true;
        } catch (DynamoDbException e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            return !code.contains("UnknownOperation") && e.statusCode() != 404;
        }
    }
}
