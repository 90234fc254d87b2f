package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Hears what a copy does, as it happens: notices worth telling the user (a table created, a backup
 * made, a fallback taken). Called on the thread that runs the copy, never concurrently. The live
 * counts are not pushed: read {@link CopyJob#counters()} whenever a progress line is due.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface CopyListener {
    /** Ignores everything. */
    CopyListener NONE = message -> { };

    /** One line for the user, such as {@code backed up table 'Orders' in 'dev' (us-east-1) to file ...}. */
    void notice(String message);
}
