package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.env.ServiceErrors;
import dev.dynamo.items.ItemFileWriter;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apiguardian.api.API;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.BackupDetails;

/**
 * Backs up the target before a copy deletes anything from it: an AWS on-demand backup
 * (CreateBackup), or the items themselves in a gzip file of DynamoDB JSON lines.
 * [API: CreateBackup]
 */
@API(status = INTERNAL, since = "0.1")
public final class TableBackup {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final int MAX_BACKUP_NAME_CHARS = 255;
    static final String FILE_SUFFIX = ".jsonl.gz";

    /** CreateBackup is not available on the endpoint (dynalite, DynamoDB Local) or to these credentials. */
    static final class UnsupportedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private TableBackup() {
    }

    /**
     * Creates an AWS on-demand backup of the table. The backup holds the table as it was when the
     * request was made, so deleting items right after it returns is safe.
     *
     * @throws UnsupportedException when the endpoint has no CreateBackup (dynalite, DynamoDB Local) or the
     *                              credentials may not call it
     */
    static BackupResult aws(TableRef table, Retrier retrier, LocalDateTime now) throws InterruptedException {
        String suffix = "-dynamo-" + STAMP.format(now);
        String base = table.name().length() + suffix.length() > MAX_BACKUP_NAME_CHARS
                ? table.name().substring(0, MAX_BACKUP_NAME_CHARS - suffix.length()) : table.name();
        String name = base + suffix;
        try {
            BackupDetails details = retrier.call(() -> table.client().createBackup(b -> b.tableName(table.name()).backupName(name)))
                    .backupDetails();
            return BackupResult.aws(details.backupName(), details.backupArn());
        } catch (Retrier.RetriesExhaustedException e) {
            throw ServiceErrors.translate(table.environment(), "backing up " + table.label(), e.last());
        } catch (SdkException e) {
            if (isUnsupported(e)) {
                throw new UnsupportedException(Retrier.describe(e), e);
            }
            throw ServiceErrors.translate(table.environment(), "backing up " + table.label(), e);
        }
    }

    static boolean isUnsupported(SdkException error) {
        if (!(error instanceof AwsServiceException service)) {
            return false;
        }
        String code = service.awsErrorDetails() == null ? "" : String.valueOf(service.awsErrorDetails().errorCode());
        String message = String.valueOf(service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage())
                .toLowerCase(Locale.ROOT);
        return code.equals("UnknownOperationException") || code.equals("AccessDeniedException") || service.statusCode() == 501
                || message.contains("not supported") || message.contains("unknown operation");
    }

    /** A new, not yet existing file for a backup of the table: {@code DIR/TABLE-yyyyMMdd-HHmmss.jsonl.gz}. */
    public static Path newFile(Path backupDirectory, String table, LocalDateTime now) {
        Path directory = backupDirectory.toAbsolutePath().normalize();
        try {
            PrivateFiles.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the backup directory " + directory + ": " + e.getMessage(), e);
        }
        String base = CopyCheckpoint.shortened(table) + "-" + STAMP.format(now);
        Path file = directory.resolve(base + FILE_SUFFIX);
        // A link counts as taken too, dangling or not: a backup is never written through one.
        for (int n = 2; Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(file.resolveSibling(file.getFileName() + ItemFileWriter.PARTIAL_SUFFIX), LinkOption.NOFOLLOW_LINKS); n++) {
            file = directory.resolve(base + "-" + n + FILE_SUFFIX);
        }
        return file;
    }

    /** Turns a file problem into the one-line failure the user sees. */
    static DynamoException fileFailure(Path file, UncheckedIOException e) {
        return DynamoException.failure("cannot write the backup file " + file + ": " + e.getCause().getMessage()
                + "; nothing was deleted", e);
    }
}
