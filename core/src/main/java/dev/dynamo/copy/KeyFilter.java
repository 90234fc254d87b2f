package dev.dynamo.copy;

import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.table.KeySchema;
import dev.dynamo.verify.TableComparison;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which keys a second scan of the source must write, when a copy by difference writes many items: a
 * Bloom filter of the keys to write. It never misses a key that was added; a key that was not added
 * passes with a small probability (about 1% at ten bits per key), and is then written although
 * unchanged, which costs a write and changes nothing. Its size is capped at {@link #MAX_BYTES}, so
 * memory stays flat whatever the difference: past about 54 million keys more unchanged items pass.
 *
 * <p>Built by one thread, then read by any number.
 */
final class KeyFilter {
    /** The most memory the filter takes. */
    static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final int BITS_PER_KEY = 10;
    private static final int HASHES = 7;

    private final long[] words;
    private final long bits;

    KeyFilter(long keys) {
        long wanted = Math.max(64, keys * BITS_PER_KEY);
        long capped = Math.min(wanted, (long) MAX_BYTES * 8);
        this.words = new long[(int) ((capped + 63) / 64)];
        this.bits = words.length * 64L;
    }

    void add(byte[] key, int length) {
        long hash = TableComparison.hashKey(key, 0, length);
        long h1 = mix(hash);
        long h2 = mix(hash ^ 0x9E3779B97F4A7C15L) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            words[(int) (bit >>> 6)] |= 1L << (bit & 63);
        }
    }

    boolean mightContain(byte[] key) {
        long hash = TableComparison.hashKey(key, 0, key.length);
        long h1 = mix(hash);
        long h2 = mix(hash ^ 0x9E3779B97F4A7C15L) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            if ((words[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** splitmix64's finaliser: spreads FNV's bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The put writers, behind a filter that acknowledges at once the items it holds back. */
    static Supplier<PagePipeline.PageConsumer> filtered(Supplier<PagePipeline.PageConsumer> writers, SegmentAcks acks,
            KeyFilter filter, KeySchema keys) {
        if (filter == null) {
            return writers;
        }
        return () -> {
            PagePipeline.PageConsumer writer = writers.get();
            return new PagePipeline.PageConsumer() {
                @Override
                public void consume(Page page) throws InterruptedException {
                    List<Map<String, AttributeValue>> items = page.items();
                    int[] kept = new int[items.size()];
                    int count = 0;
                    for (int i = 0; i < items.size(); i++) {
                        Map<String, AttributeValue> key = items instanceof RawItems raw ? raw.keyOf(i) : keys.keyOf(items.get(i));
                        if (filter.mightContain(TableComparison.encodeKey(keys, key))) {
                            kept[count++] = i;
                        }
                    }
                    int skipped = items.size() - count;
                    if (skipped > 0) {
                        acks.acknowledge(page.segment(), page.sequence(), skipped);
                    }
                    if (count == 0) {
                        return;
                    }
                    List<Map<String, AttributeValue>> passed;
                    if (count == items.size()) {
                        passed = items;
                    } else if (items instanceof RawItems raw) {
                        passed = raw.select(Arrays.copyOf(kept, count));
                    } else {
                        passed = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            passed.add(items.get(kept[i]));
                        }
                    }
                    writer.consume(new Page(page.segment(), page.sequence(), passed));
                }

                @Override
                public void finish() throws InterruptedException {
                    writer.finish();
                }
            };
        };
    }
}
