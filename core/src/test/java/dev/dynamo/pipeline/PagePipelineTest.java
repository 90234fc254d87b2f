package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PagePipelineTest {

    private static Page page(int segment, long sequence) {
        return new Page(segment, sequence, List.of(Map.of("pk", AttributeValue.fromS(segment + "/" + sequence))));
    }

    private static List<PagePipeline.PageProducer> producers(int segments, int pages) {
        List<PagePipeline.PageProducer> producers = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            int segment = s;
            producers.add(sink -> {
                for (int p = 0; p < pages; p++) {
                    sink.put(page(segment, p));
                }
            });
        }
        return producers;
    }

    @Test
    void everyPageIsConsumedOnce_andMemoryStaysBounded() {
        for (boolean reserving : new boolean[] {true, false}) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger inMemory = new AtomicInteger(); // pages being read, queued or consumed
            AtomicInteger maxInMemory = new AtomicInteger();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            int readAhead = 3;
            int consumers = 4;
            List<PagePipeline.PageProducer> producers = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                int segment = s;
                producers.add(sink -> {
                    for (int p = 0; p < 50; p++) {
                        if (reserving) {
                            sink.reserve();
                            sink.reserve(); // a second call keeps the same room
                            maxInMemory.accumulateAndGet(inMemory.incrementAndGet(), Math::max); // "reads" the page
                            sink.put(page(segment, p));
                        } else {
                            // Without a reservation a page counts from its put (the producer holds it while it waits).
                            sink.put(page(segment, p));
                            maxInMemory.accumulateAndGet(inMemory.incrementAndGet(), Math::max);
                        }
                    }
                });
            }
            PagePipeline.run("test", producers, 5, consumers, readAhead, () -> new PagePipeline.PageConsumer() {
                @Override
                public void consume(Page page) throws InterruptedException {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    assertThat(seen.add(page.items().get(0).get("pk").s())).isTrue();
                    TimeUnit.MICROSECONDS.sleep(200);
                    inFlight.decrementAndGet();
                    inMemory.decrementAndGet();
                }

                @Override
                public void finish() {
                    finished.incrementAndGet();
                }
            });
            assertThat(seen).hasSize(500);
            assertThat(finished).hasValue(consumers);
            assertThat(maxInFlight.get()).isLessThanOrEqualTo(consumers);
            assertThat(maxInMemory.get()).as("pages in memory, reserving: %s", reserving).isLessThanOrEqualTo(consumers + readAhead)
                    .isGreaterThan(consumers); // the bound is reached: the producers are faster than the consumers
        }
    }

    @Test
    void roomReservedForAnEmptyPage_isKeptForTheNext_andGivenBackAtTheEnd() {
        // Two rooms (one consumer, one page ahead), four producers that each reserve, find nothing, reserve again
        // and then put one page: without keeping and giving back their rooms they would deadlock.
        AtomicInteger consumed = new AtomicInteger();
        List<PagePipeline.PageProducer> producers = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int segment = s;
            producers.add(sink -> {
                sink.reserve();  // an empty page: nothing put
                sink.reserve();
                sink.put(page(segment, 0));
                sink.reserve();  // the last read finds nothing: the room goes back when the producer ends
            });
        }
        PagePipeline.run("test", producers, 4, 1, 1, () -> page -> consumed.incrementAndGet());
        assertThat(consumed).hasValue(4);
    }

    @Test
    void firstFailureStopsEveryWorker_andIsRethrown() throws InterruptedException {
        AtomicInteger consumed = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Thread> producerThread = new AtomicReference<>();
        CountDownLatch producing = new CountDownLatch(1);
        List<PagePipeline.PageProducer> producers = List.of(sink -> {
            producerThread.set(Thread.currentThread());
            producing.countDown();
            for (long p = 0; ; p++) { // endless: only cancellation ends it
                sink.put(page(0, p));
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> PagePipeline.run("test", producers, 1, 2, 2, () -> page -> {
            if (consumed.incrementAndGet() == 20) {
                throw boom;
            }
        })).isSameAs(boom);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        // The pool reports termination a moment before its last thread has quite returned: allow that moment.
        producerThread.get().join(5_000);
        assertThat(producerThread.get().isAlive()).isFalse();
    }

    @Test
    void producerFailureIsRethrown_afterConsumersStop() {
        DynamoException failure = DynamoException.failure("scan failed", null);
        List<PagePipeline.PageProducer> producers = List.of(sink -> sink.put(page(0, 0)), sink -> {
            throw failure;
        });
        assertThatThrownBy(() -> PagePipeline.run("test", producers, 2, 2, 1, () -> page -> { })).isSameAs(failure);
    }

    @Test
    void interruptingTheCallerCancelsTheWorkers_andRestoresTheInterrupt() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                PagePipeline.run("test", List.of(sink -> {
                    started.countDown();
                    for (long p = 0; ; p++) {
                        sink.put(page(0, p));
                    }
                }), 1, 1, 1, () -> page -> TimeUnit.MILLISECONDS.sleep(5));
            } catch (Throwable t) {
                thrown.set(t);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(DynamoException.class);
        assertThat(((DynamoException) thrown.get()).exitCode()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(interruptedAfter.get()).isTrue();
    }
    @Test
    void aStopWindsTheRunDown_withoutInterruptingAnyone_andSays130() throws InterruptedException {
        StopSignal stop = new StopSignal();
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch someConsumed = new CountDownLatch(20);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                PagePipeline.run("test", producers(4, 1_000_000), 2, 3, 2, () -> new PagePipeline.PageConsumer() {
                    @Override
                    public void consume(Page page) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            interrupted.incrementAndGet();
                        }
                        consumed.incrementAndGet();
                        someConsumed.countDown();
                    }

                    @Override
                    public void finish() {
                        finished.incrementAndGet();
                    }
                }, stop);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        running.start();
        assertThat(someConsumed.await(30, TimeUnit.SECONDS)).isTrue();
        stop.request();
        running.join(10_000);

        assertThat(running.isAlive()).as("stopped within 10 s").isFalse();
        assertThat(thrown.get()).isInstanceOfSatisfying(DynamoException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.INTERRUPTED));
        assertThat(interrupted.get()).as("consumers interrupted").isZero();
        assertThat(finished.get()).as("consumers that ran finish() after a stop").isZero();
        int after = consumed.get();
        Thread.sleep(100);
        assertThat(consumed.get()).as("pages consumed after the run returned").isEqualTo(after);
    }

    @Test
    void aStopAfterEveryConsumerFinished_changesNothing() {
        StopSignal stop = new StopSignal();
        AtomicInteger finished = new AtomicInteger();
        PagePipeline.run("test", producers(2, 5), 2, 2, 2, () -> new PagePipeline.PageConsumer() {
            @Override
            public void consume(Page page) {
            }

            @Override
            public void finish() {
                if (finished.incrementAndGet() == 2) {
                    stop.request();
                }
            }
        }, stop);

        assertThat(finished.get()).isEqualTo(2);
    }
}
