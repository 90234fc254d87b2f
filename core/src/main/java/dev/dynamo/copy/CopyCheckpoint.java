package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.pipeline.SegmentAcks;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import io.soabase.recordbuilder.core.RecordBuilder;
import org.apiguardian.api.API;

/**
 * Where a copy stands, as saved in its checkpoint file, so that {@code --resume} can continue it:
 * the copy's {@link CopyIdentity}, the {@link Stage} it reached, the backup it made, and for each
 * scan segment the position up to which every item is acknowledged (written or dead-lettered).
 * It records only acknowledged positions, so whenever the process dies, the file never claims more
 * than the target holds. It holds no credentials.
 *
 * <p>The file is JSON (DynamoDB JSON for the resume keys), replaced atomically by {@link #write}:
 * <pre>{@code
 * {
 *   "format" : "dynamo-copy-checkpoint",
 *   "version" : 1,
 *   "copy" : {
 *     "source" : { "table" : "Orders", "environment" : "prod", "profile" : "prod", "region" : "eu-west-1", "endpoint" : null },
 *     "target" : { "table" : "Orders", "environment" : "http://localhost:8000", "profile" : null, "region" : "us-east-1",
 *                  "endpoint" : "http://localhost:8000" },
 *     "mode" : "replace", "selection" : null, "segments" : 8, "pageSize" : 1000
 *   },
 *   "stage" : "copy",
 *   "startedAt" : "2025-06-01T10:00:00Z", "savedAt" : "2025-06-01T10:03:12.5Z",
 *   "backup" : { "kind" : "file", "file" : "/home/me/Orders-20250601-120000.jsonl.gz", "items" : 31 },
 *   "deadLetterFile" : "/home/me/Orders-20250601-120000.failed.jsonl", "failedItems" : 0,
 *   "copiedItems" : 61234,
 *   "finishedSegments" : "1,3-6", "finishedPages" : 48, "finishedItems" : 47234,
 *   "segments" : [
 *     { "segment" : 0, "pages" : 12, "items" : 12000, "resumeKey" : { "pk" : { "S" : "customer#7" } } },
 *     { "segment" : 2, "pages" : 2, "items" : 2000, "resumeKey" : { "pk" : { "S" : "customer#93" } } }
 *   ]
 * }
 * }</pre>
 *
 * <p>The positions are compact, so a copy of many segments saves a small file: the finished segments
 * as ranges with their pages and items summed, and only the segments under way listed (at most about
 * one per reader thread); a segment in neither is not started. {@code finishedSegments} is absent
 * before the copy stage. Version 1 files (every segment listed, each with {@code finished}) are read too.
 *
 * @param identity       the copy that saved it
 * @param stage          how far the copy got
 * @param startedAt      when the copy first began (a resume keeps it)
 * @param savedAt        when this was saved
 * @param backup         the backup made of the target before anything was deleted, or null (none made yet, or none
 *                       asked for)
 * @param deadLetterFile where items that could not be written go (a resume appends to it), or null
 * @param failedItems    items put in the dead-letter file so far
 * @param segments       from stage {@link Stage#COPY} on: each segment's acknowledged position, in segment order;
 *                       empty before
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
public record CopyCheckpoint(CopyIdentity identity, Stage stage, Instant startedAt, Instant savedAt, BackupResult backup,
        Path deadLetterFile, long failedItems, Difference difference, List<SegmentAcks.Checkpoint> segments)
        implements CopyCheckpointBuilder.With {

    /**
     * What a copy by difference found when it compared both sides, kept so that a resume acts on the same keys.
     *
     * @param directory  where the key files are: {@code write-keys} (missing from the target or different) and
     *                   {@code delete-keys} (extra in the target), each a sequence of encoded keys
     * @param toWrite    keys to write
     * @param toDelete   keys to delete (0 in merge mode, which deletes nothing)
     * @param unchanged  keys whose items are equal on both sides
     * @param byScan     the items to write are read by a second scan of the source (filtered by key) rather than by
     *                   BatchGetItem; so the write stage's positions are the scan's segments
     * @param keysPerChunk keys per unit of work (and per checkpointed position) when reading or deleting by key
     * @param writeKeysSha256  the SHA-256 (hex) of the file of keys to write, as the comparison wrote it
     * @param deleteKeysSha256 the SHA-256 (hex) of the file of keys to delete: a resume acts on neither file unless
     *                         both are exactly what the comparison wrote
     */
    @API(status = STABLE, since = "0.1")
    @RecordBuilder
    public record Difference(Path directory, long toWrite, long toDelete, long unchanged, boolean byScan, int keysPerChunk,
            String writeKeysSha256, String deleteKeysSha256) {
        public Difference {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(writeKeysSha256, "writeKeysSha256");
            Objects.requireNonNull(deleteKeysSha256, "deleteKeysSha256");
            if (toWrite < 0 || toDelete < 0 || unchanged < 0 || keysPerChunk < 1) {
                throw new IllegalArgumentException("negative counts in a difference");
            }
        }

        /** The file of the keys to write. */
        public Path writeKeys() {
            return directory.resolve("write-keys");
        }

        /** The file of the keys to delete. */
        public Path deleteKeys() {
            return directory.resolve("delete-keys");
        }

        /** Chunks of {@code keys} keys. */
        public int chunks(long keys) {
            return (int) ((keys + keysPerChunk - 1) / keysPerChunk);
        }

        /** True when the target already equals the source. */
        public boolean none() {
            return toWrite == 0 && toDelete == 0;
        }
    }

    /** The value of the {@code format} field, which marks a file as a checkpoint. */
    static final String FORMAT = "dynamo-copy-checkpoint";
    /** The version of the file format this code writes and reads. */
    static final int VERSION = 3;

    /**
     * How far a copy got, and so what a resume does. Every stage is saved before its first change
     * to the target, so a copy killed at any moment resumes from a stage whose work is safe to redo.
     */
    public enum Stage {
        /** Nothing changed yet (the target may be being created, or both sides compared): a resume starts over. */
        START("start"),
        /**
         * A copy by difference compared both sides and saved the keys to write and to delete ({@link #difference}); nothing
         * written yet: a resume backs up (if asked) and writes.
         */
        COMPARED("compared"),
        /**
         * Writing: a resume continues each segment (of the source scan, or of the keys to write) after its last
         * acknowledged page, skipping finished ones. A merge copies here straight from the start.
         */
        COPY("copy"),
        /** A replace by difference wrote everything and is deleting the target's extra items: a resume continues the deletes. */
        DELETE("delete");

        private final String text;

        Stage(String text) {
            this.text = text;
        }

        /** As the file spells it. */
        public String text() {
            return text;
        }

        static Stage parse(String text) {
            for (Stage stage : values()) {
                if (stage.text.equals(text)) {
                    return stage;
                }
            }
            throw new IllegalArgumentException("unknown stage '" + text + "'");
        }
    }

    public CopyCheckpoint {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(savedAt, "savedAt");
        segments = List.copyOf(segments);
        if ((stage == Stage.COMPARED || stage == Stage.DELETE) && difference == null) {
            throw new IllegalArgumentException("stage " + stage.text() + " without the difference it acts on");
        }
        int units = units(stage, difference, identity.segments());
        if (!segments.isEmpty() && segments.size() != units) {
            throw new IllegalArgumentException(segments.size() + " segment positions where stage " + stage.text() + " has " + units);
        }
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).segment() != i) {
                throw new IllegalArgumentException("position " + i + " is of segment " + segments.get(i).segment());
            }
        }
        if (failedItems < 0) {
            throw new IllegalArgumentException("negative failed items: " + failedItems);
        }
    }

    /**
     * Where the command line keeps a copy's checkpoint unless told otherwise:
     * {@code HOME/.dynamo/checkpoints/SOURCE-to-TARGET-HASH.json}, the hash standing for both tables'
     * environments (endpoint or profile, and region), so the same copy finds the same file and two
     * copies between different environments never share one.
     */
    public static Path defaultFile(Path home, Environment source, Environment target, CopyPlan plan) {
        String where = source.location() + "\n" + plan.sourceTable() + "\n" + target.location() + "\n" + plan.targetTable();
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(where.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        String name = shortened(plan.sourceTable()) + "-to-" + shortened(plan.targetTable()) + "-"
                + HexFormat.of().formatHex(digest, 0, 5) + ".json";
        return home.resolve(".dynamo").resolve("checkpoints").resolve(name);
    }

    /**
     * A table's name as part of a file name: table names are up to 255 characters, a file name must stay
     * under 255 bytes, so a long one keeps its first 80 characters and a hash of the whole (two long names
     * that start alike stay apart).
     */
    public static String shortened(String table) {
        if (table.length() <= 80) {
            return table;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(table.getBytes(StandardCharsets.UTF_8));
            return table.substring(0, 80) + "~" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Items of the completed pages of every segment (written or dead-lettered). */
    public long copiedItems() {
        return segments.stream().mapToLong(SegmentAcks.Checkpoint::completedItems).sum();
    }

    /** Segments read to the end with every item acknowledged. */
    public int finishedSegments() {
        return (int) segments.stream().filter(SegmentAcks.Checkpoint::finished).count();
    }

    /**
     * How many positions a stage keeps: the source scan's segments while copying (or writing what a second scan finds),
     * the chunks of keys while writing by key or deleting.
     */
    static int units(Stage stage, Difference difference, int scanSegments) {
        if (difference == null || stage == Stage.START || stage == Stage.COMPARED) {
            return scanSegments;
        }
        if (stage == Stage.DELETE) {
            return difference.chunks(difference.toDelete());
        }
        return difference.byScan() ? scanSegments : difference.chunks(difference.toWrite());
    }

    /**
     * The checkpoint a run begins with: the one it resumes past the start ({@code carried}: its stage, backup, difference
     * and positions), or a new one at {@link Stage#START}.
     */
    static CopyCheckpoint initial(CopyIdentity identity, CopyCheckpoint carried, Instant startedAt, Path deadLetterFile) {
        return carried != null
                ? carried.with(builder -> builder.savedAt(startedAt).deadLetterFile(deadLetterFile))
                : CopyCheckpointBuilder.builder().identity(identity).stage(Stage.START).startedAt(startedAt).savedAt(startedAt)
                        .deadLetterFile(deadLetterFile).segments(List.of()).build();
    }

    /** This checkpoint at a later stage or position. */
    CopyCheckpoint with(Stage newStage, BackupResult newBackup, long newFailedItems, List<SegmentAcks.Checkpoint> newSegments,
            Instant now) {
        return with(builder -> builder.stage(newStage).backup(newBackup).failedItems(newFailedItems).segments(newSegments)
                .savedAt(now));
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws DynamoException (usage) when there is no such file, or it cannot be read, or it is not a checkpoint this
     *                         version understands; the message names the file and what is wrong
     */
    /**
     * Reads a checkpoint from its JSON text (either format version).
     *
     * @param file named in messages
     * @throws DynamoException (usage) when the text is not a checkpoint this version understands
     */
    static CopyCheckpoint parse(String text, Path file) {
        return CheckpointJson.parse(text, file);
    }

    /** The checkpoint as the JSON text {@link #write} saves (format {@value #VERSION}). */
    String toJson() {
        return CheckpointJson.toJson(this);
    }

    /** Whether the file starts as a checkpoint does (its format name within its first 4 KB), read without following a link. */
    static boolean looksLikeCheckpoint(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer head = ByteBuffer.allocate(4096);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // the first 4 KB, or the whole of a smaller file
            }
            return new String(head.array(), 0, head.position(), StandardCharsets.UTF_8).contains("\"" + FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    public static CopyCheckpoint read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw DynamoException.usage("there is no checkpoint " + file + " to resume (a copy deletes its checkpoint when it "
                    + "finishes); run the copy without --resume to start it, or name its checkpoint with --checkpoint FILE");
        } catch (IOException e) {
            throw DynamoException.usage("cannot read the checkpoint " + file + ": " + e.getMessage()
                    + "; run the copy without --resume to start it over");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file);
    }

    /**
     * Saves the checkpoint to {@code file}, atomically: the text goes to a temporary file in the same
     * directory, is flushed to disk (fsync), and then replaces {@code file} with an atomic rename, so
     * a reader (or a resume after a crash) sees the old checkpoint or the new one, never a mix. The
     * directory is created if needed.
     *
     * <p>Uses no interruptible channel for the data, so it works on a thread whose interrupt status is set.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public void write(Path file) {
        Path target = file.toAbsolutePath().normalize();
        Path directory = target.getParent();
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        Path temp = null;
        try {
            PrivateFiles.createDirectories(directory);
            temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            PrivateFiles.syncDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + target + ": " + describe(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary file is named after the checkpoint and ends in .tmp: recognisable as litter
                }
            }
        }
    }

    /**
     * Deletes the temporary files that saves of {@code file} left behind when their process was killed
     * between creating and renaming them ({@code .NAME.12345.tmp} next to it). Never throws.
     */
    static void removeLeftovers(Path file) {
        Path target = file.toAbsolutePath().normalize();
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(target.getParent(),
                entry -> entry.getFileName().toString().startsWith(prefix) && entry.getFileName().toString().endsWith(".tmp"))) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException | RuntimeException e) {
            // litter, not harm: the next save works all the same
        }
    }

    static String describe(IOException e) {
        String type = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? type : type.equals("IO") ? e.getMessage() : type + ": " + e.getMessage();
    }

}
