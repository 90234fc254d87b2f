package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Keeps two runs of one copy (the same checkpoint file) from running at once: an overlapping cron
 * job, or a second terminal, would otherwise empty the target under the first run's writes and
 * overwrite its checkpoint. The lock is the operating system's lock on a file beside the checkpoint
 * ({@code CHECKPOINT.lock}), so it ends with the process that holds it, however that ends (kill -9
 * included); the file says who holds it, and is deleted when the holder releases it.
 *
 * <p>Two things make this subtle. First, POSIX record locks belong to the process, and closing
 * <em>any</em> descriptor of the file drops all of the process's locks on it: so a holder never opens
 * the file a second time (it checks the path with {@code stat} only), and locks held in this JVM are
 * also kept in a table that is consulted before the file is opened at all. Second, deleting the file
 * on release lets a run that opened it just before lock the deleted file while a third run locks the
 * new one: so a run checks, after locking, that the path still names the file it opened, and starts
 * over when it does not.
 *
 * <p>Not thread-safe; one lock per copy job.
 */
@API(status = INTERNAL, since = "0.1")
public final class CheckpointLock implements AutoCloseable {
    private static final int ATTEMPTS = 10;
    /** The lock files held in this JVM, and by whom. */
    private static final ConcurrentHashMap<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private CheckpointLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a checkpoint. */
    public static Path fileOf(Path checkpoint) {
        Path absolute = checkpoint.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    /**
     * Locks {@code checkpoint} for this process, creating its directory if needed.
     *
     * @return the lock, or null when another run holds it (see {@link #holder})
     * @throws IOException when the lock file cannot be created or written
     */
    public static CheckpointLock tryAcquire(Path checkpoint) throws IOException {
        Path file = fileOf(checkpoint);
        String stamp = "pid " + ProcessHandle.current().pid() + ", since " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (HELD.putIfAbsent(file, stamp) != null) {
            return null; // held in this JVM: opening the file again would drop that lock (see the class comment)
        }
        CheckpointLock lock = null;
        try {
            PrivateFiles.createDirectories(file.getParent());
            for (int attempt = 0; attempt < ATTEMPTS && lock == null; attempt++) {
                Object before = fileKey(file);
                FileChannel channel;
                try {
                    // Never through a link planted at the path (it would truncate the link's target): 0600, O_NOFOLLOW.
                    channel = PrivateFiles.open(file, before == null);
                } catch (FileAlreadyExistsException | NoSuchFileException changed) {
                    continue;
                }
                try {
                    FileLock held = channel.tryLock();
                    if (held == null) {
                        return null;
                    }
                    // The file opened is the one the path named before (or the one just created), unless it was
                    // deleted and replaced meanwhile: then the path names another file now, and we start over.
                    Object after = fileKey(file);
                    if (after != null && (before == null || before.equals(after))) {
                        write(channel, stamp + "\n");
                        lock = new CheckpointLock(file, channel, held);
                    }
                } finally {
                    if (lock == null) {
                        channel.close(); // this process holds no other lock on the file: nothing else is dropped
                    }
                }
            }
            if (lock == null) {
                throw new IOException("the lock file " + file + " kept changing while it was being locked");
            }
            return lock;
        } finally {
            if (lock == null) {
                HELD.remove(file);
            }
        }
    }

    private static void write(FileChannel channel, String text) throws IOException {
        channel.truncate(0);
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer, buffer.position());
        }
        channel.force(false);
    }

    /** The file's identity (device and inode) by {@code stat}, without opening it; null when it does not exist. */
    private static Object fileKey(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return key != null ? key : attributes.creationTime(); // no inodes on this file system: the next best thing
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Who holds the lock of {@code checkpoint}, as its holder wrote it ({@code pid 4242, since
     * 2026-11-24T22:00:05Z}), or null when that cannot be read (it is being written or was just released).
     * Call it only when this process holds no lock on that file.
     */
    public static String holder(Path checkpoint) {
        Path file = fileOf(checkpoint);
        String here = HELD.get(file);
        if (here != null) {
            return here;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int line = text.indexOf('\n');
            return line > 0 ? text.substring(0, line) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes the lock file and releases the lock, in that order (see the class comment). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // released below all the same; a file left behind is locked anew by the next run
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing holds it any more
        } finally {
            HELD.remove(file);
        }
    }
}
