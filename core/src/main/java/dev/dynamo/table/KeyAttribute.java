package dev.dynamo.table;

/** A key attribute: its name and type. */
public record KeyAttribute(String name, KeyType type) {
    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
