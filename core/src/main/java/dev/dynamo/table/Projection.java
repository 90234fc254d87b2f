package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * Which attributes an index holds.
 *
 * @param type             ALL, KEYS_ONLY or INCLUDE
 * @param nonKeyAttributes for INCLUDE, the attributes projected besides the keys; empty otherwise
 */
@API(status = STABLE, since = "0.1")
public record Projection(ProjectionType type, List<String> nonKeyAttributes) {
    public Projection {
        nonKeyAttributes = List.copyOf(nonKeyAttributes);
    }

    public boolean isAll() {
        return type == ProjectionType.ALL;
    }

    @Override
    public String toString() {
        return type == ProjectionType.INCLUDE ? "INCLUDE " + String.join(",", nonKeyAttributes) : type.toString();
    }
}
