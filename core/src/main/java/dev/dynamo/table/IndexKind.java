package dev.dynamo.table;

/** Global or local secondary index. */
public enum IndexKind {
    GSI,
    LSI
}
