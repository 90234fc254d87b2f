package dev.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsTest {
    @Test
    void oneIsSingular_everyOtherCountPlural_withThousandsSeparated() {
        assertThat(Counts.items(1)).isEqualTo("1 item");
        assertThat(Counts.items(0)).isEqualTo("0 items");
        assertThat(Counts.items(50_000)).isEqualTo("50,000 items");
        assertThat(Counts.items(1_234_567)).isEqualTo("1,234,567 items");
        assertThat(Counts.of(1, "selected item", "selected items")).isEqualTo("1 selected item");
        assertThat(Counts.of(2_000, "file", "files")).isEqualTo("2,000 files");
    }
}
