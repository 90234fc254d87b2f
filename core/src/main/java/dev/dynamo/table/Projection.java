package dev.dynamo.table;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * Which attributes an index holds.
 *
 * @param type             ALL, KEYS_ONLY or INCLUDE
 * @param nonKeyAttributes for INCLUDE, the attributes projected besides the keys; empty otherwise
 */
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
