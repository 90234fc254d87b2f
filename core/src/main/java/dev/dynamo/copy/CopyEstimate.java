package dev.dynamo.copy;

/**
 * What a copy would read, back up, delete and write, for a dry run. For a whole-table copy the
 * numbers come from DynamoDB's item count and size (updated about every six hours) and are
 * estimates; for a query-selected copy the keys are read and the counts are exact.
 *
 * @param preview       what the copy would do
 * @param exact         the counts are exact (selection) rather than estimates (whole table)
 * @param readItems     source items that would be read
 * @param readBytes     their size
 * @param readUnits     read capacity the source reads would consume
 * @param backupItems   target items that would be saved to a backup file (0 for none or an AWS backup)
 * @param deleteItems   target items that would be deleted
 * @param deleteUnits   write capacity the deletes would consume (table only; each index adds about one per item)
 * @param writeItems    items that would be written
 * @param writeUnits    write capacity the writes would consume (table only; each index adds about one per item)
 * @param targetIndexes secondary indexes of the target, whose writes come on top
 * @param dryRunUnits   read capacity the dry run itself consumed (reading keys of a selection)
 */
public record CopyEstimate(
        CopyPreview preview,
        boolean exact,
        long readItems,
        long readBytes,
        double readUnits,
        long backupItems,
        long deleteItems,
        double deleteUnits,
        long writeItems,
        double writeUnits,
        int targetIndexes,
        double dryRunUnits) {
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CopyEstimate} by name: every count starts at 0. */
    public static final class Builder {
        private CopyPreview preview;
        private boolean exact;
        private long readItems;
        private long readBytes;
        private double readUnits;
        private long backupItems;
        private long deleteItems;
        private double deleteUnits;
        private long writeItems;
        private double writeUnits;
        private int targetIndexes;
        private double dryRunUnits;

        private Builder() {
        }

        public Builder preview(CopyPreview value) {
            this.preview = value;
            return this;
        }

        public Builder exact(boolean value) {
            this.exact = value;
            return this;
        }

        public Builder readItems(long value) {
            this.readItems = value;
            return this;
        }

        public Builder readBytes(long value) {
            this.readBytes = value;
            return this;
        }

        public Builder readUnits(double value) {
            this.readUnits = value;
            return this;
        }

        public Builder backupItems(long value) {
            this.backupItems = value;
            return this;
        }

        public Builder deleteItems(long value) {
            this.deleteItems = value;
            return this;
        }

        public Builder deleteUnits(double value) {
            this.deleteUnits = value;
            return this;
        }

        public Builder writeItems(long value) {
            this.writeItems = value;
            return this;
        }

        public Builder writeUnits(double value) {
            this.writeUnits = value;
            return this;
        }

        public Builder targetIndexes(int value) {
            this.targetIndexes = value;
            return this;
        }

        public Builder dryRunUnits(double value) {
            this.dryRunUnits = value;
            return this;
        }

        public CopyEstimate build() {
            return new CopyEstimate(preview, exact, readItems, readBytes, readUnits, backupItems, deleteItems, deleteUnits,
                    writeItems, writeUnits, targetIndexes, dryRunUnits);
        }
    }
}
