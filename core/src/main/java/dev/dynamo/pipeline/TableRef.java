package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.env.Environment;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.TableSchema;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One table in one environment as a copy reads or writes it: the environment's shared client and
 * the table's capacity limiters (each shared by every worker that reads or writes the table).
 *
 * @param environment where the table lives
 * @param client      the environment's client, shared by all workers
 * @param schema      the table as described when the copy began
 * @param reads       limits the read units consumed on this table per second
 * @param writes      limits the write units consumed on this table per second
 */
@API(status = INTERNAL, since = "0.1")
public record TableRef(Environment environment, DynamoDbClient client, TableSchema schema, CapacityLimiter reads,
        CapacityLimiter writes) {

    public String name() {
        return schema.name();
    }

    public KeySchema keys() {
        return schema.keys();
    }

    /** For messages: {@code table 'Orders' in 'dev' (us-east-1)}. */
    public String describe() {
        return label() + " in " + environment.describe();
    }

    /**
     * For what was being done when a call failed: {@code table 'Orders'}; {@link dev.dynamo.env.ServiceErrors}
     * names the environment itself.
     */
    public String label() {
        return "table '" + schema.name() + "'";
    }
}
