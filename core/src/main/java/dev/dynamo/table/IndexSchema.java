package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A secondary index of a table.
 *
 * @param name       the index name
 * @param kind       GSI or LSI
 * @param keys       the index's own key schema
 * @param projection which attributes the index holds
 */
@API(status = STABLE, since = "0.1")
public record IndexSchema(String name, IndexKind kind, KeySchema keys, Projection projection) {
    @Override
    public String toString() {
        return name + " (" + kind + ")";
    }
}
