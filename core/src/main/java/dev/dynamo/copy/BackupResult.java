package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.Counts;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A backup the copy made of the target before deleting anything from it.
 *
 * @param kind  an AWS on-demand backup or a file
 * @param name  the AWS backup's name (null for a file)
 * @param arn   the AWS backup's ARN, to restore it with RestoreTableFromBackup (null for a file)
 * @param file  the backup file, gzip DynamoDB JSON lines (null for an AWS backup)
 * @param items items saved in the file (0 for an AWS backup, whose size DynamoDB reports later)
 */
@API(status = STABLE, since = "0.1")
public record BackupResult(Kind kind, String name, String arn, Path file, long items) {

    /** Where the backup went. */
    public enum Kind { AWS, FILE }

    static BackupResult aws(String name, String arn) {
        return new BackupResult(Kind.AWS, name, arn, null, 0);
    }

    static BackupResult file(Path file, long items) {
        return new BackupResult(Kind.FILE, null, null, file, items);
    }

    /** For messages: {@code AWS backup 'Orders-20250101-120000' (arn:...)} or {@code file /tmp/Orders.jsonl.gz (1,234 items)}. */
    public String describe() {
        return kind == Kind.AWS
                ? "AWS backup '" + name + "' (" + arn + ")"
                : "file " + file + " (" + Counts.items(items) + ")";
    }
}
