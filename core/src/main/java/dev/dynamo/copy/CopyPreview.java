package dev.dynamo.copy;

import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.TableSchema;
import java.util.List;

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
     * True when the copy will delete target items (replace mode into a target that has items):
     * the step that needs the user's consent and a backup first. A whole-table copy resumed in its
     * copy stage deletes nothing: its target was emptied before.
     */
    public boolean deletes() {
        if (mode != CopyMode.REPLACE || !targetHasItems) {
            return false;
        }
        return resumeFrom == null || selection != null || resumeFrom.stage() == CopyCheckpoint.Stage.START
                || resumeFrom.stage() == CopyCheckpoint.Stage.EMPTY;
    }

    /**
     * The backup a resumed run relies on, made before the run it resumes deleted anything; null for a new copy, or when
     * no backup was made.
     */
    public BackupResult earlierBackup() {
        return resumeFrom == null || resumeFrom.stage() == CopyCheckpoint.Stage.START ? null : resumeFrom.backup();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CopyPreview} by name; notes start empty. */
    public static final class Builder {
        private String source;
        private String target;
        private TableSchema sourceSchema;
        private TableSchema targetSchema;
        private CopyMode mode;
        private QuerySpec selection;
        private boolean createsTable;
        private boolean targetHasItems;
        private BackupMode backup;
        private int segments;
        private int threads;
        private List<String> notes = List.of();
        private CopyCheckpoint resumeFrom;

        private Builder() {
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder target(String value) {
            this.target = value;
            return this;
        }

        public Builder sourceSchema(TableSchema value) {
            this.sourceSchema = value;
            return this;
        }

        public Builder targetSchema(TableSchema value) {
            this.targetSchema = value;
            return this;
        }

        public Builder mode(CopyMode value) {
            this.mode = value;
            return this;
        }

        public Builder selection(QuerySpec value) {
            this.selection = value;
            return this;
        }

        public Builder createsTable(boolean value) {
            this.createsTable = value;
            return this;
        }

        public Builder targetHasItems(boolean value) {
            this.targetHasItems = value;
            return this;
        }

        public Builder backup(BackupMode value) {
            this.backup = value;
            return this;
        }

        public Builder segments(int value) {
            this.segments = value;
            return this;
        }

        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        public Builder notes(List<String> value) {
            this.notes = value;
            return this;
        }

        public Builder resumeFrom(CopyCheckpoint value) {
            this.resumeFrom = value;
            return this;
        }

        public CopyPreview build() {
            return new CopyPreview(source, target, sourceSchema, targetSchema, mode, selection, createsTable, targetHasItems,
                    backup, segments, threads, notes, resumeFrom);
        }
    }
}
