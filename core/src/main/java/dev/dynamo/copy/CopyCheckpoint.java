package dev.dynamo.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.items.DynamoJson;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
public record CopyCheckpoint(CopyIdentity identity, Stage stage, Instant startedAt, Instant savedAt, BackupResult backup,
        Path deadLetterFile, long failedItems, List<SegmentAcks.Checkpoint> segments) {

    /** The value of the {@code format} field, which marks a file as a checkpoint. */
    public static final String FORMAT = "dynamo-copy-checkpoint";
    /** The version of the file format this code writes and reads. */
    public static final int VERSION = 2;
    /** The first format: every segment listed. Still read. */
    private static final int VERSION_LISTED = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How far a copy got, and so what a resume does. Every stage is saved before its first change
     * to the target, so a copy killed at any moment resumes from a stage whose work is safe to redo.
     */
    public enum Stage {
        /** Nothing deleted yet (the target may be being created or backed up): a resume starts over. */
        START("start"),
        /** The backup is made (it is in the checkpoint) and the target is being emptied: a resume empties it, then copies. */
        EMPTY("empty"),
        /** Copying: a resume continues each segment after its last acknowledged page, skipping finished segments. */
        COPY("copy"),
        /**
         * A query-selected copy wrote every selected source item and is deleting the target's stale selected items:
         * a resume reads both selections' keys again and deletes the difference.
         */
        DELETE_STALE("delete-stale");

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
        if (!segments.isEmpty() && segments.size() != identity.segments()) {
            throw new IllegalArgumentException(segments.size() + " segment positions for a copy of " + identity.segments()
                    + " segments");
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

    /** This checkpoint at a later stage or position. */
    CopyCheckpoint with(Stage newStage, BackupResult newBackup, long newFailedItems, List<SegmentAcks.Checkpoint> newSegments,
            Instant now) {
        return new CopyCheckpoint(identity, newStage, startedAt, now, newBackup, deadLetterFile, newFailedItems, newSegments);
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws DynamoException (usage) when there is no such file, or it cannot be read, or it is not a checkpoint this
     *                         version understands; the message names the file and what is wrong
     */
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
     * Reads a checkpoint from its JSON text.
     *
     * @param file named in messages
     * @throws DynamoException (usage) when the text is not a checkpoint this version understands
     */
    public static CopyCheckpoint parse(String text, Path file) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("it is not a JSON object");
            }
            if (!FORMAT.equals(root.path("format").asText(null))) {
                throw new IllegalArgumentException("it is not a dynamo copy checkpoint (no \"format\": \"" + FORMAT + "\")");
            }
            int version = required(root, "version").asInt(-1);
            if (version != VERSION && version != VERSION_LISTED) {
                throw new IllegalArgumentException("it is of format version " + required(root, "version")
                        + ", this dynamo reads versions " + VERSION_LISTED + " and " + VERSION);
            }
            JsonNode copy = required(root, "copy");
            CopyIdentity identity = new CopyIdentity(side(required(copy, "source")), side(required(copy, "target")),
                    mode(text(copy, "mode")), optionalText(copy, "selection"),
                    integer(copy, "segments"), integer(copy, "pageSize"));
            JsonNode list = required(root, "segments");
            if (!list.isArray()) {
                throw new IllegalArgumentException("\"segments\" is not an array");
            }
            List<SegmentAcks.Checkpoint> segments = version == VERSION_LISTED ? listed(list) : compact(root, list, identity.segments());
            String deadLetters = optionalText(root, "deadLetterFile");
            return new CopyCheckpoint(identity, Stage.parse(text(root, "stage")), Instant.parse(text(root, "startedAt")),
                    Instant.parse(text(root, "savedAt")), backup(root.get("backup")),
                    deadLetters == null ? null : Path.of(deadLetters), number(root, "failedItems"), segments);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw corrupt(file, "it is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + where + ")");
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    private static DynamoException corrupt(Path file, String problem) {
        return DynamoException.usage("cannot resume from the checkpoint " + file + ": " + problem
                + "; run the copy without --resume to start it over");
    }

    /** The checkpoint as the JSON text {@link #write} saves. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode copy = root.putObject("copy");
        side(copy.putObject("source"), identity.source());
        side(copy.putObject("target"), identity.target());
        copy.put("mode", identity.mode().name().toLowerCase(Locale.ROOT));
        copy.put("selection", identity.selection());
        copy.put("segments", identity.segments());
        copy.put("pageSize", identity.pageSize());
        root.put("stage", stage.text());
        root.put("startedAt", startedAt.toString());
        root.put("savedAt", savedAt.toString());
        if (backup == null) {
            root.putNull("backup");
        } else {
            ObjectNode saved = root.putObject("backup");
            saved.put("kind", backup.kind().name().toLowerCase(Locale.ROOT));
            if (backup.kind() == BackupResult.Kind.AWS) {
                saved.put("name", backup.name());
                saved.put("arn", backup.arn());
            } else {
                saved.put("file", backup.file().toString());
                saved.put("items", backup.items());
            }
        }
        root.put("deadLetterFile", deadLetterFile == null ? null : deadLetterFile.toString());
        root.put("failedItems", failedItems);
        root.put("copiedItems", copiedItems());
        if (!segments.isEmpty()) {
            StringBuilder finished = new StringBuilder();
            long finishedPages = 0;
            long finishedItems = 0;
            for (int i = 0; i < segments.size(); i++) {
                if (!segments.get(i).finished()) {
                    continue;
                }
                int last = i;
                while (last + 1 < segments.size() && segments.get(last + 1).finished()) {
                    last++;
                }
                for (int j = i; j <= last; j++) {
                    finishedPages += segments.get(j).completedPages();
                    finishedItems += segments.get(j).completedItems();
                }
                finished.append(finished.length() == 0 ? "" : ",").append(i).append(last > i ? "-" + last : "");
                i = last;
            }
            root.put("finishedSegments", finished.toString());
            root.put("finishedPages", finishedPages);
            root.put("finishedItems", finishedItems);
        }
        ArrayNode list = root.putArray("segments");
        for (SegmentAcks.Checkpoint segment : segments) {
            if (segment.finished() || segment.completedPages() == 0 && segment.completedItems() == 0 && segment.resumeKey() == null) {
                continue; // finished: in the ranges; not started: not listed
            }
            ObjectNode node = list.addObject();
            node.put("segment", segment.segment());
            node.put("pages", segment.completedPages());
            node.put("items", segment.completedItems());
            if (segment.resumeKey() == null) {
                node.putNull("resumeKey");
            } else {
                node.set("resumeKey", resumeKeyTree(segment.resumeKey()));
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checkpoint tree always serialises", e);
        }
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

    private static void side(ObjectNode node, CopyIdentity.Side side) {
        node.put("table", side.table());
        node.put("environment", side.environment());
        node.put("profile", side.profile());
        node.put("region", side.region());
        node.put("endpoint", side.endpoint());
    }

    private static CopyIdentity.Side side(JsonNode node) {
        return new CopyIdentity.Side(text(node, "table"), text(node, "environment"), optionalText(node, "profile"),
                text(node, "region"), optionalText(node, "endpoint"));
    }

    private static CopyMode mode(String text) {
        for (CopyMode mode : CopyMode.values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "'");
    }

    private static BackupResult backup(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return switch (text(node, "kind")) {
            case "aws" -> BackupResult.aws(text(node, "name"), text(node, "arn"));
            case "file" -> BackupResult.file(Path.of(text(node, "file")), number(node, "items"));
            default -> throw new IllegalArgumentException("unknown backup kind '" + text(node, "kind") + "'");
        };
    }

    /** A resume key as the checkpoint's tree holds it: DynamoDB JSON, attributes in name order. */
    private static JsonNode resumeKeyTree(Map<String, AttributeValue> key) {
        try {
            return JSON.readTree(DynamoJson.toJson(key));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DynamoDB JSON is JSON", e);
        }
    }

    /** Version 1's positions: every segment, in order, each saying whether it is finished. */
    private static List<SegmentAcks.Checkpoint> listed(JsonNode list) {
        List<SegmentAcks.Checkpoint> segments = new ArrayList<>();
        for (JsonNode segment : list) {
            segments.add(new SegmentAcks.Checkpoint(integer(segment, "segment"), number(segment, "pages"),
                    number(segment, "items"), key(segment.get("resumeKey")), bool(segment, "finished")));
        }
        return segments;
    }

    /**
     * Version 2's positions: the finished segments as ranges ({@code "0-4,7"}) with their pages and items
     * summed (kept on the first of them, which is all the totals need), the segments under way listed,
     * every other segment not started. None at all when {@code finishedSegments} is absent (before the copy stage).
     */
    private static List<SegmentAcks.Checkpoint> compact(JsonNode root, JsonNode list, int count) {
        JsonNode ranges = root.get("finishedSegments");
        if (ranges == null || ranges.isNull()) {
            if (!list.isEmpty()) {
                throw new IllegalArgumentException("segments are listed but \"finishedSegments\" is missing");
            }
            return List.of();
        }
        if (!ranges.isTextual()) {
            throw new IllegalArgumentException("the field \"finishedSegments\" is not a string");
        }
        SegmentAcks.Checkpoint[] segments = new SegmentAcks.Checkpoint[count];
        long pages = number(root, "finishedPages");
        long items = number(root, "finishedItems");
        boolean first = true;
        for (String range : ranges.textValue().isEmpty() ? new String[0] : ranges.textValue().split(",", -1)) {
            int dash = range.indexOf('-');
            int from;
            int to;
            try {
                from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"finishedSegments\" has '" + range + "', not a segment or a range of them");
            }
            if (from < 0 || to < from || to >= count) {
                throw new IllegalArgumentException("\"finishedSegments\" has '" + range + "', not a range of the copy's "
                        + count + " segments");
            }
            for (int segment = from; segment <= to; segment++) {
                if (segments[segment] != null) {
                    throw new IllegalArgumentException("segment " + segment + " is finished twice");
                }
                segments[segment] = new SegmentAcks.Checkpoint(segment, first ? pages : 0, first ? items : 0, null, true);
                first = false;
            }
        }
        if (first && (pages != 0 || items != 0)) {
            throw new IllegalArgumentException("no segment is finished, yet finished pages or items are counted");
        }
        for (JsonNode node : list) {
            int segment = integer(node, "segment");
            if (segment >= count) {
                throw new IllegalArgumentException("segment " + segment + " is listed, but the copy has " + count + " segments");
            }
            if (segments[segment] != null) {
                throw new IllegalArgumentException("segment " + segment + " is listed twice, or both finished and under way");
            }
            segments[segment] = new SegmentAcks.Checkpoint(segment, number(node, "pages"), number(node, "items"),
                    key(node.get("resumeKey")), false);
        }
        for (int segment = 0; segment < count; segment++) {
            if (segments[segment] == null) {
                segments[segment] = SegmentAcks.Checkpoint.start(segment);
            }
        }
        return List.of(segments);
    }

    /** A resume key, read by the one DynamoDB JSON codec: an object of key attributes, each S, N or B. */
    private static Map<String, AttributeValue> key(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new IllegalArgumentException("a resume key is not an object of key attributes");
        }
        Map<String, AttributeValue> key;
        try {
            key = DynamoJson.readItem(node, "resumeKey");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        key.forEach((name, value) -> {
            if (value.type() != AttributeValue.Type.S && value.type() != AttributeValue.Type.N && value.type() != AttributeValue.Type.B) {
                throw new IllegalArgumentException("resume key attribute '" + name + "' has type " + typeName(value) + "; keys are S, N or B");
            }
        });
        return key;
    }

    private static String typeName(AttributeValue value) {
        return switch (value.type()) {
            case NUL -> "NULL";
            default -> value.type().name();
        };
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the field \"" + field + "\" is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("the field \"" + field + "\" is not a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(node, field);
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException("the field \"" + field + "\" is not a count");
        }
        return value.asLong();
    }

    private static int integer(JsonNode node, String field) {
        long value = number(node, field);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the field \"" + field + "\" is too large");
        }
        return (int) value;
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("the field \"" + field + "\" is not true or false");
        }
        return value.booleanValue();
    }
}
