package dev.dynamo.spark;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.table.ItemDigest;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.verify.TableComparison;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The digest join's parts without Spark: a key's outcome from its records (type-exact, as {@code dynamo verify}), and
 * the tally's first keys in DynamoDB's key order whatever order the partitions are merged in, surviving Java
 * serialization as Spark sends it.
 */
class DiffTallyTest {
    private static final KeySchema KEYS = new KeySchema(new KeyAttribute("pk", KeyType.S), new KeyAttribute("sk", KeyType.N));
    private static final KeyShape SHAPE = KeyShape.of(KEYS);
    private final ItemDigest digest = ItemDigest.create();

    private byte[] record(byte side, Map<String, AttributeValue> item) {
        return KeyOutcome.record(side, digest.digest(item));
    }

    private static byte[] key(String pk, String sk) {
        return TableComparison.encodeKey(KEYS, Map.of("pk", s(pk), "sk", n(sk)));
    }

    @Test
    void outcomes_areTypeExact_andNumbersByValue() {
        Map<String, AttributeValue> text = Map.of("pk", s("a"), "sk", n("1"), "v", s("1"));
        Map<String, AttributeValue> number = Map.of("pk", s("a"), "sk", n("1"), "v", n("1"));
        Map<String, AttributeValue> sameNumber = Map.of("pk", s("a"), "sk", n("1"), "v", n("1.00"));

        assertThat(KeyOutcome.of(List.of(record(KeyOutcome.SOURCE_TAG, text), record(KeyOutcome.TARGET_TAG, number))))
                .isEqualTo(KeyOutcome.DIFFERENT);
        assertThat(KeyOutcome.of(List.of(record(KeyOutcome.TARGET_TAG, sameNumber), record(KeyOutcome.SOURCE_TAG, number))))
                .isEqualTo(KeyOutcome.MATCHING);
        assertThat(KeyOutcome.of(List.of(record(KeyOutcome.SOURCE_TAG, text)))).isEqualTo(KeyOutcome.MISSING);
        assertThat(KeyOutcome.of(List.of(record(KeyOutcome.TARGET_TAG, text)))).isEqualTo(KeyOutcome.EXTRA);
        assertThat(KeyOutcome.of(List.of(record(KeyOutcome.TARGET_TAG, text), record(KeyOutcome.TARGET_TAG, text),
                record(KeyOutcome.SOURCE_TAG, text)))).isEqualTo(KeyOutcome.REPEATED_IN_TARGET);
    }

    @Test
    void firstKeys_inKeyOrder_whateverTheMergeOrder_andThroughSerialization() throws Exception {
        DiffTally one = new DiffTally(3, SHAPE.order());
        DiffTally two = new DiffTally(3, SHAPE.order());
        one.add(KeyOutcome.MISSING, key("b", "1"));
        one.add(KeyOutcome.MISSING, key("a", "10"));
        one.add(KeyOutcome.MATCHING, key("c", "1"));
        two.add(KeyOutcome.MISSING, key("a", "9"));
        two.add(KeyOutcome.MISSING, key("a", "-1.5"));
        two.add(KeyOutcome.EXTRA, key("z", "0"));

        DiffTally merged = roundTrip(two).merge(roundTrip(one));

        assertThat(merged.count(KeyOutcome.MISSING)).isEqualTo(4);
        assertThat(merged.count(KeyOutcome.MATCHING)).isEqualTo(1);
        assertThat(merged.sourceItems()).isEqualTo(5);
        assertThat(merged.targetItems()).isEqualTo(2);
        assertThat(merged.differences()).isEqualTo(5);
        assertThat(merged.firstMissing().stream().map(key -> DigestJoin.keyJson(SHAPE, key)).toList())
                .containsExactly("{\"pk\":\"a\",\"sk\":-1.5}", "{\"pk\":\"a\",\"sk\":9}", "{\"pk\":\"a\",\"sk\":10}");
        assertThat(merged.repeatedKeys()).isZero();
    }

    private static DiffTally roundTrip(DiffTally tally) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(tally);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (DiffTally) in.readObject();
        }
    }
}
