package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The steps of a copy, in the order they run (most copies skip some). */
@API(status = STABLE, since = "0.1")
public enum JobPhase {
    /** Describing the tables and checking the plan. */
    PREPARE("preparing"),
    /** CreateTable from the source's definition, waiting until it is ACTIVE. */
    CREATE_TABLE("creating table"),
    /** Backing up the target (CreateBackup, or its items to a file). */
    BACKUP("backing up"),
    /** Deleting every item of the target (replace mode). */
    EMPTY("emptying target"),
    /** Reading the target's items matched by the selection (query-selected replace). */
    READ_TARGET("reading target"),
    /** Reading the source and writing its items to the target. */
    COPY("copying"),
    /** Deleting the target's selected items that the source's selection does not have. */
    DELETE_STALE("deleting stale"),
    /** Finished. */
    DONE("done");

    private final String label;

    JobPhase(String label) {
        this.label = label;
    }

    /** A short label for progress lines, such as {@code copying}. */
    public String label() {
        return label;
    }
}
