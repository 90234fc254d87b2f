package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What a copy does with the target's existing items. */
@API(status = STABLE, since = "0.1")
public enum CopyMode {
    /**
     * The target ends equal to the source. Whole table: back up the target, empty it, then write
     * every source item. Query-selected: write the source's selected items, then delete the target's
     * selected items whose key the source's selection does not have; other items are untouched.
     */
    REPLACE,
    /** Write every source item, overwriting items with the same key; delete nothing. */
    MERGE
}
