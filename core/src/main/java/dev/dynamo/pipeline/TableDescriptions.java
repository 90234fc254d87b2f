package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.table.TableCatalog;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** DescribeTable as copy and verify make it before anything else: their first call to an environment. */
@API(status = INTERNAL, since = "0.1")
public final class TableDescriptions {
    private TableDescriptions() {
    }

    /**
     * The table's description, checked ({@link TableCatalog#checked}), or null when there is no such
     * table. Throttling, 5xx and network errors are retried, except a refused connection: on the first
     * call to an environment it means a wrong endpoint or a server not started, said at once.
     *
     * @throws DynamoException (failure) with the one line to show
     */
    public static TableDescription describe(Retrier retrier, DynamoDbClient client, Environment environment, String table)
            throws InterruptedException {
        String action = "describing table '" + table + "'";
        try {
            return retrier.call(() -> {
                try {
                    return TableCatalog.checked(client.describeTable(b -> b.tableName(table)).table(), table);
                } catch (SdkClientException e) {
                    if (ServiceErrors.refused(e)) {
                        throw ServiceErrors.translate(environment, action, e);
                    }
                    throw e;
                }
            });
        } catch (ResourceNotFoundException e) {
            return null;
        } catch (Retrier.RetriesExhaustedException e) {
            throw ServiceErrors.translate(environment, action, e.last());
        } catch (SdkException e) {
            throw ServiceErrors.translate(environment, action, e);
        }
    }
}
