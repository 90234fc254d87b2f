package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Checks, before a copy changes anything, that the files it may have to write (a backup, the
 * dead-letter file) can be written: a copy that finds out only when the first item fails would
 * have to stop part way. Creates nothing: a dry run leaves no directory behind.
 */
@API(status = INTERNAL, since = "0.1")
public final class WritablePaths {
    private WritablePaths() {
    }

    /**
     * @param file   the file to be created or appended to
     * @param option the option that names it, for the message ({@code --dead-letter})
     * @throws DynamoException (usage) when the file could not be written
     */
    public static void checkFile(Path file, String option) {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(absolute)) {
            throw unwritable(option, absolute, "it is a symbolic link, which dynamo does not write through");
        }
        if (Files.isDirectory(absolute)) {
            throw unwritable(option, absolute, "it is a directory; give a file name");
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw unwritable(option, absolute, "the file is not writable");
        }
        checkCreatable(absolute.getParent(), option, absolute);
    }

    /** The directory exists and is writable, or can be created. */
    public static void checkDirectory(Path directory, String option) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw unwritable(option, absolute, "it is a file, not a directory");
        }
        checkCreatable(absolute, option, absolute);
    }

    private static void checkCreatable(Path directory, String option, Path named) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw unwritable(option, named, existing + " is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw unwritable(option, named, "directory " + existing + " is not writable");
        }
    }

    private static DynamoException unwritable(String option, Path path, String why) {
        // --dead-letter /tmp/x/failed.jsonl cannot be written (/tmp/x is a file, not a directory); choose another path; nothing was changed
        return DynamoException.usage(option + " " + path + " cannot be written (" + why + "); choose another path; nothing was changed");
    }
}
