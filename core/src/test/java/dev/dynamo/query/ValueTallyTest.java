package dev.dynamo.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ValueTallyTest {

    @Test
    void countsDistinctValues_sortedWithCountsAndMissing() {
        ValueTally tally = new ValueTally("v");
        tally.add(Map.of("v", AttributeValue.fromN("10")));
        tally.add(Map.of("v", AttributeValue.fromN("9")));
        tally.add(Map.of("v", AttributeValue.fromN("10.0")));
        tally.add(Map.of("v", AttributeValue.fromS("10")));
        tally.add(Map.of("v", AttributeValue.fromSs(List.of("b", "a"))));
        tally.add(Map.of("v", AttributeValue.fromSs(List.of("a", "b"))));
        tally.add(Map.of("other", AttributeValue.fromS("x")));

        assertThat(tally.attribute()).isEqualTo("v");
        assertThat(tally.sorted()).extracting(entry -> entry.value().toString(), ValueTally.Entry::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AttributeValue.fromN("9").toString(), 1L),
                org.assertj.core.groups.Tuple.tuple(AttributeValue.fromN("10").toString(), 2L),
                org.assertj.core.groups.Tuple.tuple(AttributeValue.fromS("10").toString(), 1L),
                org.assertj.core.groups.Tuple.tuple(AttributeValue.fromSs(List.of("b", "a")).toString(), 2L));
        assertThat(tally.missing()).isEqualTo(1);
    }
}
