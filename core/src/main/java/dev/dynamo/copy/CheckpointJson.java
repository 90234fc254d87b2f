package dev.dynamo.copy;

import static dev.dynamo.copy.CopyCheckpoint.FORMAT;
import static dev.dynamo.copy.CopyCheckpoint.VERSION;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.copy.CopyCheckpoint.Stage;
import dev.dynamo.DynamoException;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.pipeline.SegmentAcks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@link CopyCheckpoint} as its file's JSON: written in format {@value CopyCheckpoint#VERSION}
 * (finished segments as ranges, only the segments under way listed), read in that format and in the
 * first one (every segment listed). Resume keys are DynamoDB JSON, read and written by
 * {@link DynamoJson}. Every problem in a file is a one-line usage error naming the file.
 */
final class CheckpointJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointJson() {
    }

    /**
     * Reads a checkpoint from its JSON text.
     *
     * @param file named in messages
     * @throws DynamoException (usage) when the text is not a checkpoint this version understands
     */
    static CopyCheckpoint parse(String text, Path file) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("it is not a JSON object");
            }
            if (!FORMAT.equals(root.path("format").asText(null))) {
                throw new IllegalArgumentException("it is not a dynamo copy checkpoint (no \"format\": \"" + FORMAT + "\")");
            }
            int version = required(root, "version").asInt(-1);
            if (version == 1 || version == 2) {
                throw new IllegalArgumentException("it was written by an earlier dynamo (format version " + version + "), whose "
                        + "replace emptied the target before writing; this version copies by difference and cannot continue "
                        + "that copy");
            }
            if (version != CopyCheckpoint.VERSION) {
                throw new IllegalArgumentException("it is of format version " + required(root, "version")
                        + ", this dynamo reads version " + CopyCheckpoint.VERSION);
            }
            JsonNode copy = required(root, "copy");
            CopyIdentity identity = new CopyIdentity(side(required(copy, "source")), side(required(copy, "target")),
                    mode(text(copy, "mode")), optionalText(copy, "selection"),
                    integer(copy, "segments"), integer(copy, "pageSize"));
            JsonNode list = required(root, "segments");
            if (!list.isArray()) {
                throw new IllegalArgumentException("\"segments\" is not an array");
            }
            Stage stage = Stage.parse(text(root, "stage"));
            CopyCheckpoint.Difference difference = difference(root.get("difference"));
            List<SegmentAcks.Checkpoint> segments = compact(root, list, CopyCheckpoint.units(stage, difference, identity.segments()));
            String deadLetters = optionalText(root, "deadLetterFile");
            return CopyCheckpointBuilder.builder().identity(identity).stage(stage).startedAt(Instant.parse(text(root, "startedAt")))
                    .savedAt(Instant.parse(text(root, "savedAt"))).backup(backup(root.get("backup")))
                    .deadLetterFile(deadLetters == null ? null : Path.of(deadLetters)).failedItems(number(root, "failedItems"))
                    .difference(difference).segments(segments).build();
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
    static String toJson(CopyCheckpoint checkpoint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode copy = root.putObject("copy");
        side(copy.putObject("source"), checkpoint.identity().source());
        side(copy.putObject("target"), checkpoint.identity().target());
        copy.put("mode", checkpoint.identity().mode().name().toLowerCase(Locale.ROOT));
        copy.put("selection", checkpoint.identity().selection());
        copy.put("segments", checkpoint.identity().segments());
        copy.put("pageSize", checkpoint.identity().pageSize());
        root.put("stage", checkpoint.stage().text());
        root.put("startedAt", checkpoint.startedAt().toString());
        root.put("savedAt", checkpoint.savedAt().toString());
        if (checkpoint.backup() == null) {
            root.putNull("backup");
        } else {
            ObjectNode saved = root.putObject("backup");
            saved.put("kind", checkpoint.backup().kind().name().toLowerCase(Locale.ROOT));
            if (checkpoint.backup().kind() == BackupResult.Kind.AWS) {
                saved.put("name", checkpoint.backup().name());
                saved.put("arn", checkpoint.backup().arn());
            } else {
                saved.put("file", checkpoint.backup().file().toString());
                saved.put("items", checkpoint.backup().items());
            }
        }
        root.put("deadLetterFile", checkpoint.deadLetterFile() == null ? null : checkpoint.deadLetterFile().toString());
        root.put("failedItems", checkpoint.failedItems());
        CopyCheckpoint.Difference difference = checkpoint.difference();
        if (difference == null) {
            root.putNull("difference");
        } else {
            ObjectNode node = root.putObject("difference");
            node.put("directory", difference.directory().toString());
            node.put("toWrite", difference.toWrite());
            node.put("toDelete", difference.toDelete());
            node.put("unchanged", difference.unchanged());
            node.put("byScan", difference.byScan());
            node.put("keysPerChunk", difference.keysPerChunk());
            node.put("writeKeysSha256", difference.writeKeysSha256());
            node.put("deleteKeysSha256", difference.deleteKeysSha256());
        }
        root.put("copiedItems", checkpoint.copiedItems());
        if (!checkpoint.segments().isEmpty()) {
            StringBuilder finished = new StringBuilder();
            long finishedPages = 0;
            long finishedItems = 0;
            for (int i = 0; i < checkpoint.segments().size(); i++) {
                if (!checkpoint.segments().get(i).finished()) {
                    continue;
                }
                int last = i;
                while (last + 1 < checkpoint.segments().size() && checkpoint.segments().get(last + 1).finished()) {
                    last++;
                }
                for (int j = i; j <= last; j++) {
                    finishedPages += checkpoint.segments().get(j).completedPages();
                    finishedItems += checkpoint.segments().get(j).completedItems();
                }
                finished.append(finished.length() == 0 ? "" : ",").append(i).append(last > i ? "-" + last : "");
                i = last;
            }
            root.put("finishedSegments", finished.toString());
            root.put("finishedPages", finishedPages);
            root.put("finishedItems", finishedItems);
        }
        ArrayNode list = root.putArray("segments");
        for (SegmentAcks.Checkpoint segment : checkpoint.segments()) {
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

    private static CopyCheckpoint.Difference difference(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return CopyCheckpointDifferenceBuilder.builder().directory(Path.of(text(node, "directory"))).toWrite(number(node, "toWrite"))
                .toDelete(number(node, "toDelete")).unchanged(number(node, "unchanged")).byScan(bool(node, "byScan"))
                .keysPerChunk(integer(node, "keysPerChunk")).writeKeysSha256(text(node, "writeKeysSha256"))
                .deleteKeysSha256(text(node, "deleteKeysSha256")).build();
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

    /**
     * The positions: the finished segments as ranges ({@code "0-4,7"}) with their pages and items
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
