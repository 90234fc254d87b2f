package dev.dynamo.spark;

import dev.dynamo.env.Environment;
import dev.dynamo.store.ExportStore;
import dev.dynamo.transfer.ImportFiles;
import java.util.Iterator;
import org.apache.spark.api.java.function.VoidFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Spark task of an import's check, before anything is written: reads its data file whole as {@code dynamo import}
 * does ({@link ImportFiles.DataFile#check}: the MD5 and record count against the manifest's, every line a record with
 * the table's key), with a store client of its own. A damaged file fails the task with the command line's message;
 * the job then stops with nothing written. Reads only: a retried attempt reads again.
 */
final class DataFileCheckTask implements VoidFunction<Iterator<ImportFiles.DataFile>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DataFileCheckTask.class);

    private final ImportTaskPlan plan;

    DataFileCheckTask(ImportTaskPlan plan) {
        this.plan = plan;
    }

    @Override
    public void call(Iterator<ImportFiles.DataFile> files) {
        if (!files.hasNext()) {
            return;
        }
        Environment environment = plan.environment().resolve();
        while (files.hasNext()) { // one file per partition, as the driver divides them
            ImportFiles.DataFile file = files.next();
            try (ExportStore store = ExportStore.open(file.store(), environment, plan.s3().toSettings())) {
                long records = file.check(store, plan.keyTypes());
                LOG.info("data file {} checked: {} records", file.location(), records);
            }
        }
    }
}
