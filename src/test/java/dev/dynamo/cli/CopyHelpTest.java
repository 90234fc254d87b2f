package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dynamo copy --help} against its snapshot in src/test/resources/help/copy.txt, so a change
 * to the help is seen in review. To accept a change, copy the new output into the snapshot.
 */
class CopyHelpTest {
    @TempDir
    Path home;

    @Test
    void helpMatchesTheSnapshot() throws IOException {
        String help = Cli.isolated(home).succeed("copy", "--help").stdout();
        String snapshot;
        try (InputStream in = CopyHelpTest.class.getResourceAsStream("/help/copy.txt")) {
            assertThat(in).as("src/test/resources/help/copy.txt").isNotNull();
            snapshot = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(help).isEqualTo(snapshot);
        for (String line : help.lines().toList()) {
            assertThat(line.length()).as("help line '%s'", line).isLessThanOrEqualTo(80);
        }
    }
}
