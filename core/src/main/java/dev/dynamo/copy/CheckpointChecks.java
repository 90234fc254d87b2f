package dev.dynamo.copy;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What {@link CopyJob#prepare} checks of a checkpoint file and of the copy it resumes, before it
 * reads or writes anything: the file can be written and no other run holds it, the checkpoint is of
 * this copy and fits it, and its positions are keys of the source; and the notice that a run resumes.
 * Apart from the job, so that the job reads as its steps; every refusal is a usage error that says
 * how to go on.
 */
final class CheckpointChecks {
    private CheckpointChecks() {
    }

    /**
     * Fails now, before anything is written, when the checkpoint clearly cannot be written: its
     * directory (or the nearest existing parent, which the copy would create it in) is not a writable
     * directory, or the file is not a writable file. The first save still reports anything this misses.
     */
    static void checkWritable(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String problem = null;
        if (Files.isSymbolicLink(absolute)) {
            problem = "it is a symbolic link, which dynamo does not write through";
        } else if (Files.isDirectory(absolute)) {
            problem = "it is a directory";
        } else if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            problem = "it is not writable";
        } else if (Files.exists(absolute) && !CopyCheckpoint.looksLikeCheckpoint(absolute)) {
            // A new copy replaces an earlier checkpoint, and a finished one deletes it: never a file of the user's.
            problem = "it holds something other than a dynamo checkpoint, which the copy would replace and then delete";
        } else {
            Path parent = absolute.getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            if (parent == null || !Files.isDirectory(parent)) {
                problem = (parent == null ? "no parent directory" : parent + " is not a directory");
            } else if (!Files.isWritable(parent)) {
                problem = "the directory " + parent + " is not writable";
            }
        }
        if (problem != null) {
            throw DynamoException.usage("cannot write the checkpoint " + absolute + ": " + problem
                    + "; choose another file with --checkpoint FILE; nothing was changed");
        }
    }

    /**
     * Takes the checkpoint's lock, which the job holds until {@link CopyJob#close}: two runs of one copy at once (an overlapping
     * cron job, a second terminal) would empty the target under each other's writes and overwrite each
     * other's checkpoint, so the second is refused before it reads or writes anything.
     */
    static CheckpointLock lock(Path checkpoint) {
        CheckpointLock lock;
        try {
            lock = CheckpointLock.tryAcquire(checkpoint);
        } catch (IOException e) {
            throw DynamoException.usage("cannot write the checkpoint's lock file " + CheckpointLock.fileOf(checkpoint) + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose another file with --checkpoint FILE; "
                    + "nothing was changed");
        }
        if (lock == null) {
            String holder = CheckpointLock.holder(checkpoint);
            // dynamo: another run of this copy is under way (pid 4242, since 2026-11-24T22:00:05Z) with the checkpoint ...
            throw DynamoException.usage("another run of this copy is under way" + (holder == null ? "" : " (" + holder + ")")
                    + " with the checkpoint " + checkpoint + ": two at once would undo each other's writes; wait for it to end, "
                    + "or stop it (Ctrl-C or kill, which save its checkpoint) and continue it with --resume; nothing was changed");
        }
        return lock;
    }

    /**
     * Refuses a checkpoint of another copy, naming every difference, and one whose content does not
     * fit the copy it claims to be (a hand-edited file). A resume keeps the checkpoint's segment count
     * unless {@code --segments} names another, which is refused.
     *
     * @return the identity of the copy resumed
     */
    static CopyIdentity checkResume(CopyCheckpoint resumeFrom, CopyPlan plan, Environment sourceEnvironment,
            Environment targetEnvironment) {
        CopyIdentity saved = resumeFrom.identity();
        int segments = plan.selection() != null ? 1 : plan.segments() > 0 ? plan.segments() : saved.segments();
        CopyIdentity now = CopyIdentity.of(sourceEnvironment, targetEnvironment, plan, segments);
        List<String> differences = saved.differences(now);
        if (!differences.isEmpty()) {
            throw DynamoException.usage("the checkpoint " + plan.checkpointFile() + " is of another copy (" + String.join("; ", differences)
                    + "): resume it with the options it was started with, or drop --resume to start this copy anew");
        }
        CopyCheckpoint.Stage stage = resumeFrom.stage();
        String problem = null;
        if (stage == CopyCheckpoint.Stage.DELETE && saved.mode() != CopyMode.REPLACE) {
            problem = "a merge never deletes";
        } else if (stage == CopyCheckpoint.Stage.COMPARED && !plan.byDifference()) {
            problem = "it compared both sides, which only a replace or a merge with --skip-unchanged does";
        }
        if (problem != null) {
            throw DynamoException.usage("cannot resume from the checkpoint " + plan.checkpointFile() + ": " + problem
                    + "; run the copy without --resume to start it over");
        }
        return now;
    }

    /**
     * Every position the checkpoint resumes from must be a key of the source as it is now: its key
     * attributes, each of its key type (and, for a selection through an index, the index's too). A
     * position that does not fit (a checkpoint edited, or the table recreated with another key) would
     * make every Scan fail, and each run print the same resume command again: a usage error instead.
     */
    static void checkResumeKeys(CopyCheckpoint resumeFrom, CopyPlan plan, TableSchema sourceSchema) {
        List<KeyAttribute> required = new ArrayList<>(sourceSchema.keys().attributes());
        if (plan.selection() != null && plan.selection().index() != null) {
            sourceSchema.findIndex(plan.selection().index()).ifPresent(index -> index.keys().attributes().stream()
                    .filter(attribute -> !required.contains(attribute)).forEach(required::add));
        }
        for (SegmentAcks.Checkpoint position : resumeFrom.segments()) {
            Map<String, AttributeValue> key = position.resumeKey();
            if (key == null || key.isEmpty()) {
                continue;
            }
            boolean fits = key.size() == required.size() && required.stream().allMatch(attribute -> key.containsKey(attribute.name())
                    && attribute.type().matches(key.get(attribute.name())));
            if (!fits) {
                throw DynamoException.usage("cannot resume from the checkpoint " + plan.checkpointFile() + ": its position "
                        + key.keySet() + " is not a key of table '" + plan.sourceTable() + "' (" + required.stream()
                        .map(Object::toString).collect(Collectors.joining(", "))
                        + "); run the copy without --resume to start it over");
            }
        }
    }

    /**
     * The notice of a resumed run, e.g. {@code resuming the copy saved in /home/me/.dynamo/checkpoints/Orders-to-Orders-1a2b3c4d5e.json
     * at 2025-06-01T10:03:12Z: 61,234 items were copied; 3 of 8 segments are finished, the others continue where they stopped}.
     */
    static String resuming(CopyCheckpoint checkpoint) {
        String saved = "resuming the copy saved at " + checkpoint.savedAt() + ": ";
        return saved + switch (checkpoint.stage()) {
            case START -> "it stopped before writing or deleting anything, so it starts over";
            case COMPARED -> String.format(Locale.ROOT, "both sides were compared (%,d items to write, %,d to delete); "
                    + "the copy writes them now", checkpoint.difference().toWrite(), checkpoint.difference().toDelete());
            case COPY -> checkpoint.difference() != null && !checkpoint.difference().byScan()
                    ? String.format(Locale.ROOT, "%,d of the %,d items that differ were written; the rest are written now",
                            checkpoint.copiedItems(), checkpoint.difference().toWrite())
                    : Counts.items(checkpoint.copiedItems()) + (checkpoint.copiedItems() == 1 ? " was copied" : " were copied")
                    + (checkpoint.identity().selection() != null ? "; the query continues after its last copied page"
                    : "; " + checkpoint.finishedSegments() + " of the " + Counts.of(checkpoint.identity().segments(), "segment", "segments")
                    + (checkpoint.finishedSegments() == 1 ? " is" : " are") + " finished, the others continue where they stopped");
            case DELETE -> String.format(Locale.ROOT, "everything that differed was written; %,d of the %,d extra items were "
                    + "deleted, the rest are deleted now", checkpoint.copiedItems(), checkpoint.difference().toDelete());
        };
    }
}
