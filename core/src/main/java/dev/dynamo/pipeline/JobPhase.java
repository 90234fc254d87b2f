package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The steps of a copy, an export or an import, in the order they run (most jobs skip some). */
@API(status = STABLE, since = "0.1")
public enum JobPhase {
    /** Describing the tables and checking the plan. */
    PREPARE("preparing"),
    /** CreateTable from the source's definition, waiting until it is ACTIVE. */
    CREATE_TABLE("creating table"),
    /** Backing up the target (CreateBackup, or its items to a file). */
    BACKUP("backing up"),
    /** Reading both sides and comparing them by key (a copy by difference). */
    COMPARE("comparing"),
    /** Reading the target's items matched by the selection (a file backup of a query-selected copy). */
    READ_TARGET("reading target"),
    /** Writing the source's items to the target (all of them, or those that differ). */
    COPY("copying"),
    /** Deleting the target's items whose key the source lacks (replace mode), after every write. */
    DELETE("deleting extras"),
    /** Reading a table's items into export data files. */
    EXPORT("exporting"),
    /** Reading an import's data files to check them against their manifest before anything is written. */
    CHECK_FILES("checking files"),
    /** Writing the items of an import's data files to the table. */
    IMPORT("importing"),
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
