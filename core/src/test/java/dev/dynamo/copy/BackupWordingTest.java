package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How a file backup names itself in messages (golden strings). */
class BackupWordingTest {
    @Test
    void countsTheItemsOfAFileBackup_singularForOne_separatedInAnyLocale() {
        assertThat(BackupResult.file(Path.of("/b/Orders.jsonl.gz"), 1).describe()).isEqualTo("file /b/Orders.jsonl.gz (1 item)");
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY); // "%,d" alone would print 1.234.567 here
            assertThat(BackupResult.file(Path.of("/b/Orders.jsonl.gz"), 1_234_567).describe())
                    .isEqualTo("file /b/Orders.jsonl.gz (1,234,567 items)");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
