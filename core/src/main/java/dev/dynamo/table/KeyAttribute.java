package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** A key attribute: its name and type. */
@API(status = STABLE, since = "0.1")
public record KeyAttribute(String name, KeyType type) {
    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
