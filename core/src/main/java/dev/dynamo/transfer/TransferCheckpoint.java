package dev.dynamo.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.pipeline.SegmentAcks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The checkpoint files of exports and imports: one JSON object, {@code "kind":"export"} or {@code "import"}, holding what
 * the job is (checked on resume, so a checkpoint of another job is refused) and where each segment or data file stands
 * (its completed pages and items and the key, or line, to continue from). Saved atomically ({@link
 * PrivateFiles#replaceAtomically}), 0600; never holds credentials. Stateless.
 */
final class TransferCheckpoint {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    private TransferCheckpoint() {
    }

    static ObjectNode begin(String kind) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", kind);
        root.put("version", VERSION);
        return root;
    }

    static ArrayNode positions(List<SegmentAcks.Checkpoint> positions) {
        ArrayNode list = JSON.createArrayNode();
        for (SegmentAcks.Checkpoint position : positions) {
            ObjectNode node = list.addObject();
            node.put("segment", position.segment());
            node.put("pages", position.completedPages());
            node.put("items", position.completedItems());
            node.put("finished", position.finished());
            if (position.resumeKey() != null) {
                try {
                    node.set("resumeKey", JSON.readTree(DynamoJson.toJson(position.resumeKey())));
                } catch (IOException e) {
                    throw new IllegalStateException("DynamoDB JSON is JSON", e);
                }
            }
        }
        return list;
    }

    static List<SegmentAcks.Checkpoint> positions(JsonNode list, Path file) {
        List<SegmentAcks.Checkpoint> positions = new ArrayList<>();
        try {
            for (JsonNode node : list) {
                Map<String, AttributeValue> key = node.hasNonNull("resumeKey") ? DynamoJson.readItem(node.get("resumeKey"), "resumeKey")
                        : null;
                positions.add(new SegmentAcks.Checkpoint(node.get("segment").asInt(), node.get("pages").asLong(),
                        node.get("items").asLong(), key, node.get("finished").asBoolean()));
            }
            for (int i = 0; i < positions.size(); i++) {
                if (positions.get(i).segment() != i) {
                    throw new IllegalArgumentException("positions out of order");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e.getMessage());
        }
        return positions;
    }

    static void save(Path file, ObjectNode root) {
        try {
            PrivateFiles.replaceAtomically(file, (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw DynamoException.failure("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint of {@code kind}.
     *
     * @throws DynamoException (usage) when it is missing, not JSON, or of another kind of job
     */
    static ObjectNode read(Path file, String kind, String command) {
        if (!Files.isRegularFile(file)) {
            throw DynamoException.usage("no checkpoint to resume at " + file + ": the " + command + " finished, or never began; "
                    + "run it again without --resume");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw damaged(file, e.getMessage());
        }
        if (root == null || !root.isObject() || !kind.equals(root.path("kind").asText()) || root.path("version").asInt() != VERSION) {
            throw DynamoException.usage("the checkpoint " + file + " is not one of a dynamo " + command + " (or of another version)"
                    + "; give the right --checkpoint, or run without --resume to start anew");
        }
        return (ObjectNode) root;
    }

    /** Refuses to resume with a checkpoint of another job: names the first field that differs. */
    static void checkSame(ObjectNode checkpoint, ObjectNode identity, Path file, String command) {
        identity.fieldNames().forEachRemaining(field -> {
            if (!identity.get(field).equals(checkpoint.get(field))) {
                throw DynamoException.usage("the checkpoint " + file + " is of another " + command + ": its " + field + " is "
                        + checkpoint.get(field) + ", this one's " + identity.get(field) + "; give the options it was started "
                        + "with, or run without --resume to start anew");
            }
        });
    }

    static DynamoException damaged(Path file, String problem) {
        return DynamoException.usage("the checkpoint " + file + " is damaged (" + problem + "); run without --resume to start anew");
    }

    /** Checks the file can be written and takes its lock: a second run of the same job at once is refused. */
    static CheckpointLock lock(Path file, String command) {
        if (Files.isSymbolicLink(file) || Files.isDirectory(file)) {
            throw DynamoException.usage("cannot write the checkpoint " + file + ": it is a link or a directory; choose another "
                    + "file with --checkpoint FILE; nothing was written");
        }
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
            CheckpointLock lock = CheckpointLock.tryAcquire(file);
            if (lock == null) {
                throw DynamoException.usage("another run of this " + command + " is under way with the checkpoint " + file
                        + "; wait for it to end, or stop it and continue it with --resume; nothing was written");
            }
            return lock;
        } catch (IOException e) {
            throw DynamoException.usage("cannot write the checkpoint " + file + " (" + e.getMessage() + "); choose another file "
                    + "with --checkpoint FILE; nothing was written");
        }
    }

    /** Deletes a finished job's checkpoint. Never throws: a left-over checkpoint is refused by nothing but a resume. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // harmless: a resume of a finished job finds its export complete
        }
    }
}
