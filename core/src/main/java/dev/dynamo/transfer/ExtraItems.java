package dev.dynamo.transfer;

import dev.dynamo.DynamoException;
import dev.dynamo.copy.BatchWriter;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.ReadPlan;
import dev.dynamo.pipeline.ReadPlanBuilder;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.verify.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The last step of an import in replace mode: deletes the table's items whose key the import does not hold, with
 * bounded memory. The import's data files are read again (so a resumed run sees all of them, whatever an earlier run
 * wrote) and the whole table is scanned (strongly consistent), both into bucket files of (key, digest) records, and the
 * buckets are compared one pair at a time ({@link TableComparison}, what {@code verify} and a replace copy use): every
 * key the table has and the import lacks is deleted, in pages of {@link #DELETE_PAGE_KEYS} written by several writers.
 * Counts of what else the comparison found (items still missing or different after the writes: dead-lettered ones, or
 * another writer's) are kept for the summary.
 */
final class ExtraItems {
    /** At most this many bytes of records are compared in memory at once. */
    static final long BUCKET_BYTES = 64L << 20;
    static final int DELETE_PAGE_KEYS = 1000;

    private final TableRef target;
    private final List<ImportSource> sources;
    private final Retrier retrier;
    private final JobCounters counters;
    private final DeadLetterFile deadLetters;
    private final StopSignal stop;
    private final int threads;
    private final Path workParent;
    private long notMatching;

    ExtraItems(TableRef target, List<ImportSource> sources, Retrier retrier, JobCounters counters, DeadLetterFile deadLetters,
            StopSignal stop, int threads, Path workParent) {
        this.target = target;
        this.sources = sources;
        this.retrier = retrier;
        this.counters = counters;
        this.deadLetters = deadLetters;
        this.stop = stop;
        this.threads = threads;
        this.workParent = workParent;
    }

    /** Items the comparison found missing from the table or different in it, after every write. */
    long notMatching() {
        return notMatching;
    }

    /** Deletes the extras, and says how many of the import's items the table lacks or holds otherwise after the writes. */
    void delete(dev.dynamo.copy.CopyListener listener) {
        try {
            delete();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoException(dev.dynamo.ExitCode.INTERRUPTED, "interrupted while deleting the table's extra items", e);
        }
        if (notMatching > 0) {
            listener.notice(String.format(java.util.Locale.ROOT, "%,d items of the import are missing from %s or differ there "
                    + "after the writes (dead-lettered, or written by someone else meanwhile)", notMatching, target.describe()));
        }
    }

    private void delete() throws InterruptedException {
        Path work;
        try {
            PrivateFiles.createDirectories(workParent);
            work = Files.createTempDirectory(workParent, "import-compare-");
        } catch (IOException e) {
            throw DynamoException.failure("cannot create a directory for the comparison's bucket files in " + workParent + " ("
                    + e.getMessage() + "); free some space or give another --checkpoint directory", e);
        }
        ExecutorService writers = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, "dynamo-import-delete");
            thread.setDaemon(true);
            return thread;
        });
        ThreadLocal<BatchWriter> deleter = ThreadLocal.withInitial(() ->
                new BatchWriter(target, BatchWriter.Kind.DELETE, retrier, counters, deadLetters, null, stop));
        List<Future<?>> pending = new ArrayList<>();
        try {
            LongAdder read = new LongAdder();
            List<PagePipeline.PageProducer> producers = new ArrayList<>();
            int segment = 0;
            long expected = 0;
            for (ImportSource source : sources) {
                if (source.files().isEmpty()) {
                    continue;
                }
                SegmentAcks acks = new SegmentAcks(source.files().size());
                for (int i = 0; i < source.files().size(); i++) {
                    producers.add(numbered(new ImportFile(source, i, acks, 1000, read, stop), segment++));
                    expected += Math.max(0, source.files().get(i).itemCount());
                }
            }
            ReadPlan plan = ReadPlanBuilder.builder().sourceTable(target.name()).targetTable(target.name()).threads(threads)
                    .segments(0).pageSize(1000).maxReadUnitsPerSecond(0).consistent(true).maxRetries(10).build();
            TableComparison comparison = new TableComparison(plan, BUCKET_BYTES, retrier, counters, stop);
            long deletedBefore = counters.deleted.sum();
            counters.startPhase(JobPhase.DELETE, 0, () -> counters.deleted.sum() - deletedBefore);
            List<Map<String, AttributeValue>> extras = new ArrayList<>();
            Consumer<List<Map<String, AttributeValue>>> send = page -> pending.add(writers.submit(() -> {
                deleter.get().consume(new Page(0, 0, page));
                return null;
            }));
            comparison.run(new TableComparison.Pages(producers, segment, expected, target.keys(), read), target, work,
                    new TableComparison.Sink() {
                        @Override
                        public void matching() {
                        }

                        @Override
                        public void missing(byte[] key, int offset, int length) {
                            notMatching++;
                        }

                        @Override
                        public void extra(byte[] key, int offset, int length) {
                            extras.add(TableComparison.decodeKey(target.keys(), key, offset, length));
                            if (extras.size() == DELETE_PAGE_KEYS) {
                                send.accept(new ArrayList<>(extras));
                                extras.clear();
                            }
                        }

                        @Override
                        public void different(byte[] key, int offset, int length) {
                            notMatching++;
                        }
                    }, () -> { });
            if (!extras.isEmpty()) {
                send.accept(new ArrayList<>(extras));
            }
            for (Future<?> write : pending) {
                write.get();
            }
        } catch (IOException e) {
            throw DynamoException.failure("cannot write the comparison's bucket files in " + work + " (" + e.getMessage() + ")", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            writers.shutdownNow();
            PrivateFiles.deleteTree(work);
        }
    }

    /** A producer whose pages carry {@code segment} instead of its own number. */
    private static PagePipeline.PageProducer numbered(PagePipeline.PageProducer producer, int segment) {
        return sink -> producer.produce(new PagePipeline.PageSink() {
            @Override
            public void put(Page page) throws InterruptedException {
                sink.put(new Page(segment, page.sequence(), page.items()));
            }

            @Override
            public void reserve() throws InterruptedException {
                sink.reserve();
            }
        });
    }
}
