package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SegmentAcksTest {
    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    @Test
    void checkpointAdvancesOnlyOverContiguousCompletePages() {
        SegmentAcks acks = new SegmentAcks(2);
        long p0 = acks.pageRead(1, 3, key("a"));
        long p1 = acks.pageRead(1, 2, key("b"));
        long p2 = acks.pageRead(1, 4, key("c"));
        assertThat(new long[] {p0, p1, p2}).containsExactly(0, 1, 2);

        acks.acknowledge(1, p1, 2); // page 1 done, page 0 not yet: nothing is safe to skip
        assertThat(acks.checkpoint(1)).isEqualTo(new SegmentAcks.Checkpoint(1, 0, 0, null, false));

        acks.acknowledge(1, p0, 2);
        assertThat(acks.checkpoint(1).completedPages()).isZero();
        acks.acknowledge(1, p0, 1); // page 0 done: pages 0 and 1 complete, resume after page 1
        assertThat(acks.checkpoint(1)).isEqualTo(new SegmentAcks.Checkpoint(1, 2, 5, key("b"), false));

        assertThat(acks.checkpoint(0)).isEqualTo(new SegmentAcks.Checkpoint(0, 0, 0, null, false));
    }

    @Test
    void segmentIsFinished_whenItsLastPageIsAcknowledged() {
        SegmentAcks acks = new SegmentAcks(1);
        long p0 = acks.pageRead(0, 2, key("a"));
        long p1 = acks.pageRead(0, 1, null); // no LastEvaluatedKey: the segment's last page
        acks.acknowledge(0, p1, 1);
        assertThat(acks.checkpoint(0).finished()).isFalse();
        assertThat(acks.allFinished()).isFalse();
        acks.acknowledge(0, p0, 2);
        assertThat(acks.checkpoint(0)).isEqualTo(new SegmentAcks.Checkpoint(0, 2, 3, null, true));
        assertThat(acks.allFinished()).isTrue();
    }

    @Test
    void resumedAcks_continueFromTheCheckpoint_numberingPagesAfterIt() {
        SegmentAcks acks = SegmentAcks.resume(List.of(
                new SegmentAcks.Checkpoint(0, 2, 7, key("b"), false),
                new SegmentAcks.Checkpoint(1, 3, 9, null, true),
                SegmentAcks.Checkpoint.start(2)));

        assertThat(acks.checkpoints()).containsExactly(new SegmentAcks.Checkpoint(0, 2, 7, key("b"), false),
                new SegmentAcks.Checkpoint(1, 3, 9, null, true), new SegmentAcks.Checkpoint(2, 0, 0, null, false));
        assertThat(acks.completedItems()).isEqualTo(16);
        long page = acks.pageRead(0, 4, null);
        assertThat(page).isEqualTo(2);
        assertThatThrownBy(() -> acks.pageRead(1, 1, null)).isInstanceOf(IllegalStateException.class);
        acks.acknowledge(0, page, 4);
        assertThat(acks.checkpoint(0)).isEqualTo(new SegmentAcks.Checkpoint(0, 3, 11, null, true));
        acks.pageRead(2, 5, null);
        acks.acknowledge(2, 0, 5);
        assertThat(acks.allFinished()).isTrue();
        assertThat(acks.completedItems()).isEqualTo(25);
    }

    @Test
    void checkpointsRefuseImpossiblePositions() {
        assertThatThrownBy(() -> new SegmentAcks.Checkpoint(0, 2, 5, null, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment 0 has completed pages but no key to resume from");
        assertThatThrownBy(() -> new SegmentAcks.Checkpoint(0, 2, 5, key("a"), true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentAcks.resume(List.of(SegmentAcks.Checkpoint.start(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyPagesAreCompleteAtOnce() {
        SegmentAcks acks = new SegmentAcks(1);
        acks.pageRead(0, 0, key("a"));
        assertThat(acks.checkpoint(0).resumeKey()).isEqualTo(key("a"));
        acks.pageRead(0, 0, Map.of());
        assertThat(acks.allFinished()).isTrue();
    }

    @Test
    void rejectsAcknowledgingMoreThanAPageHolds_andUnknownPages() {
        SegmentAcks acks = new SegmentAcks(1);
        long p0 = acks.pageRead(0, 2, key("a"));
        assertThatThrownBy(() -> acks.acknowledge(0, p0, 3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> acks.acknowledge(0, 7, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> acks.pageRead(3, 1, null)).isInstanceOf(IllegalArgumentException.class);
        acks.pageRead(0, 1, null);
        assertThatThrownBy(() -> acks.pageRead(0, 1, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentAcknowledgementsAddUp() throws InterruptedException {
        SegmentAcks acks = new SegmentAcks(4);
        int pages = 200;
        for (int segment = 0; segment < 4; segment++) {
            for (int page = 0; page < pages; page++) {
                acks.pageRead(segment, 10, page == pages - 1 ? null : key(segment + "-" + page));
            }
        }
        Thread[] writers = new Thread[8];
        for (int w = 0; w < writers.length; w++) {
            int writer = w;
            writers[w] = new Thread(() -> {
                for (int segment = 0; segment < 4; segment++) {
                    for (int page = 0; page < pages; page++) {
                        if ((page + segment) % 8 == writer) {
                            for (int item = 0; item < 10; item++) {
                                acks.acknowledge(segment, page, 1);
                            }
                        }
                    }
                }
            });
            writers[w].start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(acks.allFinished()).isTrue();
        assertThat(acks.checkpoint(2).completedPages()).isEqualTo(pages);
    }
}
