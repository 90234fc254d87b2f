package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Files that hold table data (backups, dead letters, checkpoints and their locks) are readable by
 * their owner only, whatever the umask, and are never written through a link: someone else on a
 * shared machine could otherwise read production items, or plant a link at a predictable path and
 * have dynamo append items to, or truncate, a file of their choosing.
 *
 * <p>New files are 0600 and new directories 0700 (directories that exist already, such as a
 * {@code --backup-dir} the user made, are left as they are). Files are opened with
 * {@code O_NOFOLLOW} (a link at the path is refused) and, where they must be new, {@code O_EXCL}.
 * On a file system without POSIX permissions, only the link checks apply.
 */
@API(status = INTERNAL, since = "0.1")
public final class PrivateFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates the missing directories of {@code directory}, each 0700. */
    public static void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        List<Path> missing = new ArrayList<>();
        for (Path dir = absolute; dir != null && !Files.exists(dir); dir = dir.getParent()) {
            missing.add(dir);
        }
        Collections.reverse(missing);
        for (Path dir : missing) {
            try {
                if (posix(dir)) {
                    // 0700 whatever the umask: a umask only takes bits away, and these are the owner's.
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                // made meanwhile by another run: fine
            }
        }
        if (!Files.isDirectory(absolute)) {
            throw new FileSystemException(directory.toString(), null, "not a directory");
        }
    }

    /**
     * Opens {@code file} for reading and writing, never through a link: a new one when {@code createNew}
     * (refused if anything, even a dangling link, is at the path), else the file there, created 0600 if
     * missing.
     */
    public static FileChannel open(Path file, boolean createNew) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS,
                createNew ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        try {
            return posix(file) ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE))
                    : FileChannel.open(file, options);
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file)) {
                throw new FileSystemException(file.toString(), null, "it is a symbolic link, which dynamo does not write through");
            }
            throw e;
        }
    }

    /**
     * Replaces {@code file} with {@code bytes} atomically: they go to a new private temporary file in the same directory
     * (created if needed, 0700), are flushed to disk, and the temporary file is renamed over {@code file}, so a reader (or
     * a resume after a crash) sees the old content or the new, never a mix. A link at {@code file} is replaced, never
     * written through. Uses no interruptible channel, so it works on a thread whose interrupt status is set.
     */
    public static void replaceAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path directory = target.getParent();
        createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(temp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            syncDirectory(directory);
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Flushes a directory's entries (a rename or a new file in it) to disk, where the platform allows it. */
    public static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open a directory; the rename itself is still atomic
        }
    }

    /** Deletes a directory and what is in it, deepest first; what cannot be deleted is left (it is private). Never throws. */
    public static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // left behind, owner-only
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // as above
        }
    }
}
