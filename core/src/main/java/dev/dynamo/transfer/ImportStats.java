package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * What an import did.
 *
 * @param table          the table, as {@code table 'Orders' in 'dev' (us-east-1)}
 * @param sources        what was imported, one description per source
 * @param files          data files read
 * @param written        items put (with the runs it resumes)
 * @param deleted        items deleted: an incremental export's deletes, and in replace mode the table's extra items
 * @param failed         items that could not be written, in {@code deadLetterFile}
 * @param deadLetterFile where they are (none when failed is 0)
 * @param backupFile     the backup made of the table before a replace, or null
 * @param createdTable   the import created the table
 * @param writeUnits     write units consumed or estimated
 * @param millis         how long this run took
 * @param resumed        this run continued a stopped import
 */
@API(status = INTERNAL, since = "0.1")
public record ImportStats(String table, java.util.List<String> sources, int files, long written, long deleted, long failed,
        Path deadLetterFile, Path backupFile, boolean createdTable, double writeUnits, long millis, boolean resumed) {
}
