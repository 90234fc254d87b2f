package dev.dynamo.table;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** Global or local secondary index. */
@API(status = STABLE, since = "0.1")
public enum IndexKind {
    GSI,
    LSI
}
