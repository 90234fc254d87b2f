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

    @Test
    void sizesInBinaryUnits_oneDecimal_whateverTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY); // DescribeCommand's own copy printed "1,5 KiB" here
        try {
            assertThat(Counts.bytes(0)).isEqualTo("0 B");
            assertThat(Counts.bytes(1023)).isEqualTo("1023 B");
            assertThat(Counts.bytes(1536)).isEqualTo("1.5 KiB");
            assertThat(Counts.bytes(20_447_232)).isEqualTo("19.5 MiB");
            assertThat(Counts.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
