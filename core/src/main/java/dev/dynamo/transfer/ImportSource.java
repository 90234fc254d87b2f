package dev.dynamo.transfer;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.items.DataFileReader;
import dev.dynamo.items.ExportFormat;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.ExportRecord;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.StoredObject;
import dev.dynamo.table.TableDefinitionJson;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What one {@code --from} names, resolved: an export (its folder, or a prefix holding exactly one
 * {@code AWSDynamoDB/ID/}) with its manifests, or a single data file (a data file of an export, a backup or a dead-letter
 * file of {@code copy}). Resolving reads the manifests only; {@link #check} reads every data file.
 *
 * @param store       where it is
 * @param folder      the export's folder in the store ({@code AWSDynamoDB/ID/}, or "" when the store's root is the
 *                    folder itself), or the folder of the single file
 * @param description what it is, for messages ({@code export 0176...-1a2b3c4d at s3://b/p (FULL_EXPORT, ION, 3 data files)})
 * @param summary     the export's summary, or null for a single file
 * @param files       the data files, in manifest order (names from the store's root); md5 null for a single file
 * @param format      their format
 * @param definition  the table definition dynamo's export keeps beside the manifests, or null
 */
record ImportSource(ExportStore store, String folder, String description, ExportManifest.Summary summary,
        List<ExportManifest.DataFile> files, ExportFormat format, TableDefinitionJson.Definition definition) {
    /** The folder, beside the exports' own, where incremental exports keep their data files. */
    private static final String INCREMENTAL_DATA_FOLDER = "data/";


    boolean incremental() {
        return summary != null && summary.incremental();
    }

    long itemCount() {
        return files.stream().mapToLong(ExportManifest.DataFile::itemCount).sum();
    }

    String locationOf(ExportManifest.DataFile file) {
        return store.locationOf(file.name());
    }

    /**
     * Resolves a {@code --from} location, opened as {@code store} (a local path or {@code s3://bucket/prefix}).
     *
     * @param singleFile the name of the single data file the location names in {@code store}, or null when it names a
     *                   folder or prefix
     * @throws DynamoException (usage) for a location with no export, several exports, an export without a manifest (not
     *                         finished), or manifests that do not add up
     */
    static ImportSource resolve(ExportStore store, String singleFile) {
        if (singleFile != null) {
            StoredObject object = store.stat(singleFile).orElseThrow(() -> DynamoException.usage("no file at "
                    + store.locationOf(singleFile) + "; name an export's folder, a prefix holding one, or a data file"));
            ExportFormat format = ExportFormat.ofFileName(singleFile).orElseThrow(() -> DynamoException.usage(
                    store.locationOf(singleFile) + " is not a data file dynamo reads (.json, .json.gz, .jsonl, .jsonl.gz, .ion, "
                            + ".ion.gz)"));
            return new ImportSource(store, "", "file " + store.locationOf(singleFile), null,
                    List.of(new ExportManifest.DataFile(singleFile, -1, null, null, singleFile)), format, null);
        }
        List<StoredObject> under = store.list(ExportManifest.EXPORTS_FOLDER);
        TreeSet<String> ids = new TreeSet<>();
        TreeSet<String> complete = new TreeSet<>();
        for (StoredObject object : under) {
            String rest = object.name().substring(ExportManifest.EXPORTS_FOLDER.length());
            int slash = rest.indexOf('/');
            // AWSDynamoDB/data/ is not an export: it holds the data files of the prefix's incremental exports.
            if (slash > 0 && !rest.startsWith(INCREMENTAL_DATA_FOLDER)) {
                String id = rest.substring(0, slash);
                ids.add(id);
                if (rest.substring(slash + 1).equals(ExportManifest.SUMMARY)) {
                    complete.add(id);
                }
            }
        }
        if (ids.isEmpty()) {
            throw DynamoException.usage("no export at " + store.describe() + ": expected " + ExportManifest.EXPORTS_FOLDER
                    + "ID/" + ExportManifest.SUMMARY + " under it (or name a data file)");
        }
        if (ids.size() > 1) {
            throw DynamoException.usage("several exports at " + store.describe() + ": " + String.join(", ", ids)
                    + "; name one with --from " + store.locationOf(ExportManifest.EXPORTS_FOLDER + ids.first())
                    + " (give several --from, oldest first, to apply incremental exports in turn)");
        }
        String id = ids.first();
        if (!complete.contains(id)) {
            throw incomplete(store, ExportManifest.folder(id));
        }
        return export(store, ExportManifest.folder(id), id);
    }

    private static DynamoException incomplete(ExportStore store, String folder) {
        return DynamoException.usage("the export at " + store.locationOf(folder.isEmpty() ? "" : folder.substring(0, folder.length() - 1))
                + " has no " + ExportManifest.SUMMARY + ": it did not finish (a dynamo export writes it last; continue "
                + "that export with --resume), so it is not imported");
    }

    /**
     * The export {@code exportId} under the store's root ({@code AWSDynamoDB/ID/}).
     *
     * @throws DynamoException (usage) when it has no summary (unfinished) or its manifests do not add up
     */
    static ImportSource export(ExportStore store, String exportId) {
        String folder = ExportManifest.folder(exportId);
        if (store.stat(folder + ExportManifest.SUMMARY).isEmpty()) {
            if (store.list(folder).isEmpty()) {
                throw DynamoException.usage("no export at " + store.locationOf(folder.substring(0, folder.length() - 1)));
            }
            throw incomplete(store, folder);
        }
        return export(store, folder, exportId);
    }

    private static ImportSource export(ExportStore store, String folder, String exportId) {
        String summaryAt = store.locationOf(folder + ExportManifest.SUMMARY);
        ExportManifest.Summary summary = ExportManifest.readSummary(read(store, folder + ExportManifest.SUMMARY), summaryAt);
        if (store.stat(folder + ExportManifest.FILES).isEmpty()) {
            throw DynamoException.usage("the export at " + summaryAt + " has no " + ExportManifest.FILES + "; it cannot be checked, "
                    + "so it is not imported");
        }
        String filesAt = store.locationOf(folder + ExportManifest.FILES);
        List<ExportManifest.DataFile> files = ExportManifest.readFiles(read(store, folder + ExportManifest.FILES), exportId, filesAt);
        long listed = files.stream().mapToLong(ExportManifest.DataFile::itemCount).sum();
        if (listed != summary.itemCount()) {
            throw DynamoException.usage("the export at " + summaryAt + " does not add up: its data files hold " + Counts.items(listed)
                    + " by " + ExportManifest.FILES + ", its summary says " + String.format(Locale.ROOT, "%,d", summary.itemCount()));
        }
        // One listing per folder the data files are in (not a request, or a local read, per file).
        java.util.Map<String, java.util.Set<String>> present = new java.util.HashMap<>();
        for (ExportManifest.DataFile file : files) {
            String parent = file.name().substring(0, file.name().lastIndexOf('/') + 1);
            java.util.Set<String> names = present.computeIfAbsent(parent, folderName -> {
                java.util.Set<String> inFolder = new java.util.HashSet<>();
                store.list(folderName).forEach(object -> inFolder.add(object.name()));
                return inFolder;
            });
            if (!names.contains(file.name())) {
                throw DynamoException.failure("the data file " + store.locationOf(file.name()) + " that " + filesAt
                        + " lists is missing; nothing was written", null);
            }
        }
        TableDefinitionJson.Definition definition = null;
        if (store.stat(folder + ExportManifest.TABLE).isPresent()) {
            definition = TableDefinitionJson.read(read(store, folder + ExportManifest.TABLE), store.locationOf(folder + ExportManifest.TABLE));
        }
        String description = String.format(Locale.ROOT, "export %s at %s (%s, %s, %s, %s)", exportId,
                store.locationOf(folder.isEmpty() ? "" : folder.substring(0, folder.length() - 1)), summary.exportType(),
                summary.format().awsName(), Counts.of(files.size(), "data file", "data files"), Counts.items(summary.itemCount()));
        return new ImportSource(store, folder, description, summary, files, summary.format(), definition);
    }

    private static byte[] read(ExportStore store, String name) {
        try (InputStream in = store.open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw DynamoException.failure("cannot read " + store.locationOf(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one data file whole before anything is written: its MD5 against the manifest's, and every record parsed and
     * counted against the manifest's item count (a single file without a manifest: parsed and counted).
     *
     * @return the records it holds
     * @throws DynamoException (failure) naming the file whose MD5 or count differs, or the line that is not a record
     */
    long check(ExportManifest.DataFile file, LongAdder checked, Map<String, String> keyTypes) {
        String where = locationOf(file);
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
        long records = 0;
        DynamoException otherKey = null;
        DigestInputStream bytes = new DigestInputStream(store.open(file.name()), md5);
        try (DataFileReader reader = DataFileReader.open(bytes, where, format)) {
            for (ExportRecord record; (record = reader.next()) != null; ) {
                checkRecord(record, where, reader.lineNumber());
                if (otherKey == null) {
                    otherKey = checkKey(record, keyTypes, where, reader.lineNumber());
                }
                records++;
                checked.increment();
            }
            // Whatever follows the last record (bytes after the gzip stream) is part of the file the MD5 covers.
            bytes.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw DynamoException.failure("cannot read " + where + ": " + e.getMessage() + "; nothing was written", e);
        } catch (DynamoException e) {
            // The reader names a malformed line or corrupt gzip as a usage error; here it is a damaged data file (exit 1).
            if (e.exitCode() == ExitCode.USAGE) {
                throw DynamoException.failure(e.getMessage() + "; nothing was written", e);
            }
            throw e;
        }
        if (file.md5() != null) {
            String actual = Base64.getEncoder().encodeToString(md5.digest());
            if (!actual.equals(file.md5())) {
                throw DynamoException.failure("the data file " + where + " is damaged: its MD5 is " + actual + ", the manifest says "
                        + file.md5() + "; nothing was written", null);
            }
        }
        if (file.itemCount() >= 0 && records != file.itemCount()) {
            throw DynamoException.failure("the data file " + where + " holds " + records + " records, the manifest says "
                    + file.itemCount() + "; nothing was written", null);
        }
        if (otherKey != null) {
            throw otherKey;
        }
        return records;
    }

    private void checkRecord(ExportRecord record, String where, long line) {
        if (incremental()) {
            if (record.keys() == null) {
                throw DynamoException.usage(where + " line " + line + ": an incremental export's record has no Keys");
            }
        } else if (record.item() == null) {
            throw DynamoException.usage(where + " line " + line + ": a full export's record has no Item");
        }
    }

    /**
     * A record whose item (or, in an incremental export, Keys) lacks an attribute of the table's key, or holds it with
     * another type, could never be written: the export is of a table with another key (usage, exit 2).
     *
     * @param keyTypes the table's key attributes and their types (S, N, B), or null when not known yet
     */
    private DynamoException checkKey(ExportRecord record, Map<String, String> keyTypes, String where, long line) {
        if (keyTypes == null) {
            return null;
        }
        Map<String, AttributeValue> key = incremental() ? record.keys() : record.item();
        for (Map.Entry<String, String> attribute : keyTypes.entrySet()) {
            AttributeValue value = key.get(attribute.getKey());
            if (value == null || !value.type().name().equals(attribute.getValue())) {
                return DynamoException.usage(where + " line " + line + ": the record has no " + attribute.getKey() + " of type "
                        + attribute.getValue() + ", which the table's key needs: the export is of a table with another key, so "
                        + "no item could be written; nothing was written");
            }
        }
        return null;
    }

    /** Opens a data file to read its records. */
    DataFileReader open(ExportManifest.DataFile file) {
        return DataFileReader.open(store.open(file.name()), locationOf(file), format);
    }

    static Optional<String> singleFileName(String location) {
        String trimmed = location.endsWith("/") ? null : location.substring(location.lastIndexOf('/') + 1);
        return trimmed != null && ExportFormat.ofFileName(trimmed).isPresent() ? Optional.of(trimmed) : Optional.empty();
    }

}
