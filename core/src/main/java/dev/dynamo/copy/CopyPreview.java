package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.TableSchema;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What a prepared copy is about to do, known before anything is changed: enough to ask for consent
 * and to describe a dry run.
 *
 * @param source         the source, as {@code table 'Orders' in 'prod' (eu-west-1)}
 * @param target         the target, the same way
 * @param sourceSchema   the source table
 * @param targetSchema   the target table, or null when the copy will create it
 * @param mode           replace or merge
 * @param selection      the query selecting the items to copy, or null for the whole table
 * @param createsTable   the target does not exist and will be created from the source's definition
 * @param targetHasItems the target (or, for a selection, the target's selection) holds at least one item
 * @param backup         how the target will be backed up; {@link BackupMode#NONE} when it will not be (it has no
 *                       items, the plan says none, or the run resumed has made its backup already)
 * @param segments       scan segments of the source (1 for a selection)
 * @param threads        writer threads
 * @param notes          things worth telling the user before the copy (settings that will not apply, ...)
 * @param resumeFrom     the checkpoint this run resumes, or null for a new copy
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
@RecordBuilder.Options(useImmutableCollections = true)
public record CopyPreview(
        String source,
        String target,
        TableSchema sourceSchema,
        TableSchema targetSchema,
        CopyMode mode,
        QuerySpec selection,
        boolean createsTable,
        boolean targetHasItems,
        BackupMode backup,
        int segments,
        int threads,
        List<String> notes,
        CopyCheckpoint resumeFrom) {

    public CopyPreview {
        notes = List.copyOf(notes);
    }

    /**
     * True when the copy may delete target items (replace mode into a target that has items): the step that needs the
     * user's consent and a backup first. Only the target's items whose key the source lacks are deleted, last.
     */
    public boolean deletes() {
        return mode == CopyMode.REPLACE && targetHasItems;
    }

    /**
     * The backup a resumed run relies on, made before the run it resumes deleted anything; null for a new copy, or when
     * no backup was made.
     */
    public BackupResult earlierBackup() {
        return resumeFrom == null || resumeFrom.stage() == CopyCheckpoint.Stage.START ? null : resumeFrom.backup();
    }

    static CopyPreviewBuilder builder() {
        return CopyPreviewBuilder.builder();
    }
}
