package dev.dynamo.verify;

import dev.dynamo.DynamoException;
import dev.dynamo.items.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory a verification's bucket files live in: made new for each run, deleted at its end
 * whatever happens, and named with a way out when it cannot be made or written (a full disk). Apart
 * from {@link TableVerifier} so that the verifier reads as its steps.
 */
final class BucketDirectory {
    private BucketDirectory() {
    }

    /** A new directory in {@code tempDirectory}, or in the system's temporary directory when it is null. */
    static Path create(Path tempDirectory) {
        Path base = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return Files.createTempDirectory(base, "dynamo-verify-");
        } catch (IOException e) {
            throw DynamoException.failure("cannot create a directory for the verification's bucket files in " + base + " ("
                    + e + "); name a writable directory with --temp-dir", e);
        }
    }

    /** The failure when the bucket files cannot be written, saying what to do. */
    static DynamoException failed(Path directory, IOException e) {
        return DynamoException.failure("cannot write the verification's bucket files in " + directory + " (" + e
                + "); free some space there, or name another directory with --temp-dir", e);
    }

    /** Deletes the bucket directory and what is left in it; a file that cannot be deleted is left. */
    static void delete(Path directory) {
        PrivateFiles.deleteTree(directory);
    }
}
