package dev.dynamo.transfer;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.env.Environment;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.store.ExportStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** What an import does with its {@code --from} locations before it writes: resolves them, and checks them together. */
final class ImportSources {
    /** An export's own folder: {@code PREFIX/AWSDynamoDB/ID}, with or without a slash at the end. */
    private static final Pattern EXPORT_FOLDER = Pattern.compile("(.*?)/?AWSDynamoDB/([^/]+)/?");
    /** Data files checked at once, at most. */
    private static final int MAX_CHECK_THREADS = 8;

    private ImportSources() {
    }

    /**
     * Resolves every location of the plan, in order, opening a store for each (added to {@code stores}, which the caller
     * closes).
     */
    static List<ImportSource> resolve(ImportPlan plan, Environment environment, List<ExportStore> stores) {
        List<ImportSource> sources = new ArrayList<>();
        for (String location : plan.sources()) {
            String file = ImportSource.singleFileName(location).orElse(null);
            Matcher exportFolder = EXPORT_FOLDER.matcher(location);
            if (file == null && exportFolder.matches()) {
                // An export's own folder: its data files may lie beside it (incremental exports share AWSDynamoDB/data/).
                String root = exportFolder.group(1);
                ExportStore store = ExportStore.open(root.isEmpty() ? "." : root, environment, plan.s3());
                stores.add(store);
                sources.add(ImportSource.export(store, exportFolder.group(2)));
                continue;
            }
            String root = file == null ? location : location.substring(0, location.length() - file.length());
            ExportStore store = ExportStore.open(root.isEmpty() ? "." : root, environment, plan.s3());
            stores.add(store);
            sources.add(ImportSource.resolve(store, file));
        }
        return sources;
    }

    /**
     * Refuses incremental exports in replace mode, and exports named out of time order.
     *
     * @throws DynamoException (usage) naming the source at fault
     */
    static void checkOrder(List<ImportSource> sources, CopyMode mode) {
        String previousTime = null;
        for (ImportSource source : sources) {
            if (source.incremental() && mode == CopyMode.REPLACE) {
                throw DynamoException.usage("an incremental export holds changes, not a table: apply it with --mode merge ("
                        + "its deletes are applied too), not replace");
            }
            String time = source.summary() == null ? null : source.summary().exportTime();
            if (time != null && previousTime != null && time.compareTo(previousTime) < 0) {
                throw DynamoException.usage("the exports are not in time order: " + source.description() + " is from " + time
                        + ", before the one named before it (" + previousTime + "); give --from oldest first");
            }
            previousTime = time != null ? time : previousTime;
        }
    }

    /**
     * Reads every data file whole, several at once ({@link ImportSource#check}), counting the records in {@code checked}.
     *
     * @param keyTypes the table's key attributes and their types, which every record must have; null for a table the
     *                 import creates from the export's own definition
     * @throws DynamoException the first file's problem; (130) when interrupted; nothing was written either way
     */
    static void checkFiles(List<ImportSource> sources, int threads, Map<String, String> keyTypes, LongAdder checked) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, MAX_CHECK_THREADS)), runnable -> {
            Thread thread = new Thread(runnable, "dynamo-import-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Long>> checks = new ArrayList<>();
            for (ImportSource source : sources) {
                for (ExportManifest.DataFile file : source.files()) {
                    checks.add(pool.submit(() -> source.check(file, checked, keyTypes)));
                }
            }
            for (Future<Long> check : checks) {
                try {
                    check.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted while checking the data files; nothing was written", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Records in every data file, by the manifests (-1 when a single file without one makes it unknown). */
    static long expectedRecords(List<ImportSource> sources) {
        long total = 0;
        for (ImportSource source : sources) {
            for (ExportManifest.DataFile file : source.files()) {
                if (file.itemCount() < 0) {
                    return -1;
                }
                total += file.itemCount();
            }
        }
        return total;
    }

    /** The table's key attributes and their types (S, N, B); null for a table the import creates from the export's definition. */
    static Map<String, String> keyTypes(TableDescription description) {
        if (description == null) {
            return null;
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (KeySchemaElement key : description.keySchema()) {
            description.attributeDefinitions().stream().filter(d -> d.attributeName().equals(key.attributeName())).findFirst()
                    .ifPresent(d -> types.put(key.attributeName(), d.attributeTypeAsString()));
        }
        return types;
    }
}
