package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Readers (scan segments, a query) feeding writers through one bounded queue of pages.
 *
 * <p>Concurrency contract:
 * <ul>
 *   <li>Producers run as tasks on a fixed pool of at most {@code producerThreads} threads (segments
 *       beyond that wait their turn) and put their pages on one queue. At most
 *       {@code consumerThreads + readAhead} pages are in memory at once, whatever the table size and
 *       however many producers run: a page counts from the moment its producer reserves room for it
 *       ({@link PageSink#reserve}, called before the read, so a producer waiting for room holds no
 *       page) or, for a producer that does not reserve, from its {@link PageSink#put}, until a
 *       consumer has finished with it. (Pages are large: a scan page of 1,000 items of 1 KB is some
 *       6 MB of Java objects, and the fewer there are the less the garbage collector copies.)</li>
 *   <li>{@code consumerThreads} consumers, each made by the factory and used by one thread only, take
 *       pages until every producer has finished and the queue is drained: completion is signalled
 *       explicitly by one {@link Page#END} marker per consumer, queued after the last producer ends.
 *       Then each consumer's {@link PageConsumer#finish} runs.</li>
 *   <li>The first failure of any worker cancels the others (their threads are interrupted, blocked
 *       queue operations give up) and is rethrown by {@link #run} on the calling thread once every
 *       worker has stopped; later failures are attached to it as suppressed.</li>
 *   <li>If the calling thread is interrupted, the workers are cancelled the same way, the interrupt
 *       status is restored and a {@link DynamoException} with exit code 130 is thrown.</li>
 *   <li>When the {@link StopSignal} is raised, the run winds down instead: producers put no more pages
 *       (and read none, if they poll the signal), consumers take no more pages (a consumer that polls
 *       the signal may leave the page in hand part done), nobody is interrupted, and once every worker
 *       has returned a {@link DynamoException} with exit code 130 is thrown, unless every consumer had
 *       already finished.</li>
 * </ul>
 */
@API(status = INTERNAL, since = "0.1")
public final class PagePipeline {
    private static final long POLL_MILLIS = 100;
    private static final long STOP_WAIT_SECONDS = 120;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Reads pages and puts them on the queue. */
    @FunctionalInterface
    public interface PageProducer {
        void produce(PageSink sink) throws InterruptedException;
    }

    /** Where a producer puts its pages. Each producer task gets its own; it is used by that task's thread only. */
    @FunctionalInterface
    public interface PageSink {
        /** Hands a page on; blocks, unless room was reserved for it, until there is room. */
        void put(Page page) throws InterruptedException;

        /**
         * Blocks until there is room for one more page, and keeps it for the next {@link #put} (a
         * second call before that put keeps the same room). Call it before reading a page, so that
         * no page waits in memory for room. A producer that reserves and then puts nothing (an
         * empty page) keeps the room for its next page, and gives it back when it ends.
         */
        default void reserve() throws InterruptedException {
        }
    }

    /** Handles the pages one thread takes from the queue. */
    public interface PageConsumer {
        void consume(Page page) throws InterruptedException;

        /** Called once, after the last page, on the consumer's thread (not after a failure). */
        default void finish() throws InterruptedException {
        }
    }

    /** Thrown inside a worker that notices the pipeline was cancelled by another's failure, or is stopping. */
    private static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledException() {
            super("cancelled", null, false, false);
        }
    }

    private final BlockingQueue<Page> queue;
    /** Room for pages: read (or about to be) and not yet finished by a consumer. */
    private final Semaphore room;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean cancelled;
    private final StopSignal stopSignal;
    private final AtomicInteger finishedConsumers = new AtomicInteger();
    private final ExecutorService producerPool;
    private final ExecutorService consumerPool;
    private final int consumerThreads;

    private PagePipeline(String name, int producerThreads, int consumerThreads, int readAhead, StopSignal stop) {
        int run = RUNS.incrementAndGet();
        this.stopSignal = stop;
        int pages = consumerThreads + Math.max(1, readAhead);
        this.room = new Semaphore(pages);
        // Never full: it holds at most every page there is room for, and one END marker per consumer.
        this.queue = new ArrayBlockingQueue<>(pages + consumerThreads);
        this.consumerThreads = consumerThreads;
        this.producerPool = Executors.newFixedThreadPool(producerThreads, threads("dynamo-" + name + run + "-read-"));
        this.consumerPool = Executors.newFixedThreadPool(consumerThreads, threads("dynamo-" + name + run + "-write-"));
    }

    /**
     * Runs the producers and consumers to the end.
     *
     * @param name            names the worker threads (for thread dumps)
     * @param producerThreads the most producers running at once
     * @param consumerThreads consumers (one thread each)
     * @param readAhead       pages that may be read ahead of the consumers: at most
     *                        {@code consumerThreads + readAhead} pages are in memory
     */
    public static void run(String name, List<? extends PageProducer> producers, int producerThreads, int consumerThreads,
            int readAhead, Supplier<? extends PageConsumer> consumers) {
        run(name, producers, producerThreads, consumerThreads, readAhead, consumers, new StopSignal());
    }

    /**
     * Runs the producers and consumers to the end, or until {@code stop} is raised.
     *
     * @throws DynamoException (exit code 130) when stopped before every consumer finished
     */
    public static void run(String name, List<? extends PageProducer> producers, int producerThreads, int consumerThreads,
            int readAhead, Supplier<? extends PageConsumer> consumers, StopSignal stop) {
        if (producers.isEmpty()) {
            return;
        }
        new PagePipeline(name, Math.max(1, Math.min(producerThreads, producers.size())), Math.max(1, consumerThreads),
                readAhead, stop).execute(producers, consumers);
    }

    private void execute(List<? extends PageProducer> producers, Supplier<? extends PageConsumer> consumers) {
        CountDownLatch producersDone = new CountDownLatch(producers.size());
        CountDownLatch consumersDone = new CountDownLatch(consumerThreads);
        try {
            List<PageConsumer> made = new ArrayList<>(consumerThreads);
            for (int i = 0; i < consumerThreads; i++) {
                made.add(consumers.get());
            }
            for (PageConsumer consumer : made) {
                consumerPool.execute(() -> {
                    try {
                        consume(consumer);
                    } catch (Throwable t) {
                        fail(t);
                    } finally {
                        consumersDone.countDown();
                    }
                });
            }
            for (PageProducer producer : producers) {
                producerPool.execute(() -> {
                    Sink sink = new Sink();
                    try {
                        if (!cancelled && !stopSignal.requested()) {
                            producer.produce(sink);
                        }
                    } catch (Throwable t) {
                        fail(t);
                    } finally {
                        sink.close();
                        producersDone.countDown();
                    }
                });
            }
            awaitUnlessCancelled(producersDone);
            if (!cancelled && !stopSignal.requested()) {
                for (int i = 0; i < consumerThreads; i++) {
                    enqueue(Page.END);
                }
            }
            awaitUnlessCancelled(consumersDone);
        } catch (InterruptedException e) {
            cancel();
            stop();
            Thread.currentThread().interrupt();
            throw new DynamoException(ExitCode.INTERRUPTED, "interrupted: the copy stopped part way", e);
        } catch (CancelledException e) {
            // a worker failed while the END markers were being queued; its failure is rethrown below
        } catch (RuntimeException | Error e) {
            fail(e);
        }
        stop();
        Throwable first = failure.get();
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
        if (stopSignal.requested() && finishedConsumers.get() < consumerThreads) {
            throw new DynamoException(ExitCode.INTERRUPTED, "stopped: the copy stopped part way");
        }
    }

    /**
     * Waits for the latch, or until a failure cancels the run (tasks that never started never count
     * down). Producer tasks still queued when a stop is requested return at once, so the latch opens.
     */
    private void awaitUnlessCancelled(CountDownLatch latch) throws InterruptedException {
        while (!latch.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (cancelled) {
                return;
            }
        }
    }

    private void consume(PageConsumer consumer) throws InterruptedException {
        while (true) {
            if (stopSignal.requested()) {
                return;
            }
            Page page = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (cancelled || stopSignal.requested()) {
                return;
            }
            if (page == Page.END) {
                consumer.finish();
                finishedConsumers.incrementAndGet();
                return;
            }
            if (page != null) {
                try {
                    consumer.consume(page);
                } finally {
                    room.release();
                }
            }
        }
    }

    /** One producer task's sink: holds at most one reserved room. */
    private final class Sink implements PageSink {
        private boolean reserved;

        @Override
        public void reserve() throws InterruptedException {
            if (!reserved) {
                takeRoom();
                reserved = true;
            }
        }

        @Override
        public void put(Page page) throws InterruptedException {
            if (stopSignal.requested()) {
                throw new CancelledException();
            }
            if (!reserved) {
                takeRoom();
            }
            reserved = false;
            enqueue(page);
        }

        /** Gives back room reserved for a page that never came. */
        void close() {
            if (reserved) {
                reserved = false;
                room.release();
            }
        }
    }

    private void takeRoom() throws InterruptedException {
        while (!room.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (cancelled || stopSignal.requested()) {
                throw new CancelledException();
            }
        }
    }

    /** Queues a page that has room (or an END marker): the queue is sized so that this never waits long. */
    private void enqueue(Page page) throws InterruptedException {
        while (!queue.offer(page, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (cancelled || (stopSignal.requested() && page != Page.END)) {
                throw new CancelledException();
            }
        }
    }

    private void fail(Throwable t) {
        if (t instanceof CancelledException) {
            return;
        }
        if (t instanceof InterruptedException && cancelled) {
            return; // the interrupt that cancel() sent
        }
        if (!failure.compareAndSet(null, t)) {
            Throwable first = failure.get();
            if (first != t && !(t instanceof InterruptedException)) {
                first.addSuppressed(t);
            }
        }
        cancel();
    }

    private void cancel() {
        cancelled = true;
        producerPool.shutdownNow();
        consumerPool.shutdownNow();
        queue.clear();
    }

    private void stop() {
        producerPool.shutdown();
        consumerPool.shutdown();
        boolean interrupted = false;
        for (ExecutorService pool : List.of(producerPool, consumerPool)) {
            try {
                if (!pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
