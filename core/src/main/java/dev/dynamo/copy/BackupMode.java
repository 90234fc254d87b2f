package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** How the target is backed up before a copy deletes anything from it. */
@API(status = STABLE, since = "0.1")
public enum BackupMode {
    /** An AWS backup where the endpoint supports CreateBackup, otherwise a file. */
    AUTO,
    /** An AWS on-demand backup (CreateBackup); fails where the endpoint does not support it. */
    AWS,
    /** The target's items, saved to a gzip file of DynamoDB JSON lines. */
    FILE,
    /** No backup. */
    NONE
}
