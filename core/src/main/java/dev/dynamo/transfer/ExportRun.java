package dev.dynamo.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.store.ExportStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The state one export run shares among its segments: the store, the export's folder and id, the acknowledgements of
 * the pages read, and what is committed: each segment's data files and its position after the last of them. The
 * checkpoint holds only what is committed, so a resume never counts pages whose data file was discarded.
 *
 * <p>Concurrency contract: each segment's thread calls {@link #newFile}, {@link #fileCommitted} and
 * {@link #segmentFinished} for its own segment; they and {@link #save} are serialised by the instance's lock.
 */
final class ExportRun {
    final ExportPlan plan;
    final ExportStore store;
    final String exportId;
    final String folder;
    /** The prefix the data files' keys start with, from the bucket's root (or the folder's): "" or "some/prefix". */
    final String keyPrefix;
    final SegmentAcks acks;
    final JobCounters counters;
    final List<String> keyNames;
    private final ObjectNode identity;
    private final Path checkpointFile;
    private final String startTime;
    private final SegmentAcks.Checkpoint[] positions;
    private final List<List<ExportManifest.DataFile>> files;
    private final int[] nextFile;
    /** A part of every data file's name unique to this writer ("" for none): {@code data/s00003-TAG-00001.json.gz}. */
    private final String fileTag;
    /** Bytes of the data files as stored, with those of the runs resumed. */
    private long storedBytes;
    /** Each data file this run committed: its bytes as stored. */
    private final java.util.Map<String, Long> committedBytes = new java.util.HashMap<>();

    ExportRun(ExportPlan plan, ExportStore store, String exportId, String keyPrefix, String startTime, ObjectNode identity,
            SegmentAcks acks, List<SegmentAcks.Checkpoint> committed, List<List<ExportManifest.DataFile>> files,
            JobCounters counters, List<String> keyNames) {
        this(plan, store, exportId, keyPrefix, startTime, identity, acks, committed, files, counters, keyNames, "");
    }

    /** A run whose data files' names hold {@code fileTag}: one of several writers of segments of one export (Spark's tasks). */
    ExportRun(ExportPlan plan, ExportStore store, String exportId, String keyPrefix, String startTime, ObjectNode identity,
            SegmentAcks acks, List<SegmentAcks.Checkpoint> committed, List<List<ExportManifest.DataFile>> files,
            JobCounters counters, List<String> keyNames, String fileTag) {
        this.plan = plan;
        this.fileTag = fileTag.isEmpty() ? "" : fileTag + "-";
        this.store = store;
        this.exportId = exportId;
        this.folder = ExportManifest.folder(exportId);
        this.keyPrefix = keyPrefix;
        this.startTime = startTime;
        this.identity = identity;
        this.checkpointFile = plan.checkpointFile();
        this.acks = acks;
        this.counters = counters;
        this.keyNames = keyNames;
        this.positions = committed.toArray(new SegmentAcks.Checkpoint[0]);
        this.files = files;
        this.nextFile = new int[positions.length];
        for (int segment = 0; segment < positions.length; segment++) {
            nextFile[segment] = files.get(segment).size();
        }
    }

    /** The export's folder, as a user would write it. */
    String location() {
        return store.locationOf(folder.substring(0, folder.length() - 1));
    }

    /**
     * A new data file of {@code segment}: {@code data/s00003-00001.json.gz} (segment 3, its second file), or with a tag
     * {@code data/s00003-TAG-00001.json.gz}.
     */
    synchronized DataFileOutput newFile(int segment) {
        String name = String.format(Locale.ROOT, "data/s%05d-%s%05d%s", segment, fileTag, nextFile[segment]++,
                plan.format().dataFileSuffix());
        return new DataFileOutput(store, folder, name, ExportManifest.key(keyPrefix, exportId, name), plan.format(), keyNames);
    }

    synchronized void fileCommitted(int segment, ExportManifest.DataFile file, long bytes) {
        files.get(segment).add(file);
        storedBytes += bytes;
        committedBytes.put(file.name(), bytes);
        positions[segment] = acks.checkpoint(segment);
        save();
    }

    synchronized void segmentFinished(int segment) {
        positions[segment] = acks.checkpoint(segment);
        save();
    }

    /** Every data file committed, in segment and file order. */
    synchronized List<ExportManifest.DataFile> allFiles() {
        List<ExportManifest.DataFile> all = new ArrayList<>();
        files.forEach(all::addAll);
        return all;
    }

    synchronized boolean allFinished() {
        for (SegmentAcks.Checkpoint position : positions) {
            if (!position.finished()) {
                return false;
            }
        }
        return true;
    }

    /** Saves the checkpoint (when the plan keeps one): the export's identity, id, and what is committed. */
    synchronized void save() {
        if (checkpointFile == null) {
            return;
        }
        ObjectNode root = TransferCheckpoint.begin("export");
        root.setAll(identity);
        root.put("exportId", exportId);
        root.put("keyPrefix", keyPrefix);
        root.put("startTime", startTime);
        root.put("storedBytes", storedBytes);
        root.set("positions", TransferCheckpoint.positions(List.of(positions)));
        ArrayNode list = root.putArray("files");
        for (int segment = 0; segment < files.size(); segment++) {
            for (ExportManifest.DataFile file : files.get(segment)) {
                list.addObject().put("segment", segment).put("name", file.name()).put("itemCount", file.itemCount())
                        .put("md5Checksum", file.md5()).put("etag", file.etag()).put("dataFileS3Key", file.key());
            }
        }
        TransferCheckpoint.save(checkpointFile, root);
    }

    /** The committed files a checkpoint lists, per segment. */
    static List<List<ExportManifest.DataFile>> files(JsonNode checkpoint, int segments) {
        List<List<ExportManifest.DataFile>> files = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            files.add(new ArrayList<>());
        }
        for (JsonNode file : checkpoint.path("files")) {
            files.get(file.get("segment").asInt()).add(new ExportManifest.DataFile(file.get("name").asText(),
                    file.get("itemCount").asLong(), file.get("md5Checksum").asText(), file.get("etag").asText(),
                    file.get("dataFileS3Key").asText()));
        }
        return files;
    }

    /** The bytes as stored of a data file this run committed, or -1. */
    synchronized long committedBytes(String name) {
        return committedBytes.getOrDefault(name, -1L);
    }

    synchronized long storedBytes() {
        return storedBytes;
    }

    /** Carries the bytes of the files a resumed run keeps. */
    synchronized void resumedBytes(long bytes) {
        storedBytes += bytes;
    }

    String startTime() {
        return startTime;
    }
}
