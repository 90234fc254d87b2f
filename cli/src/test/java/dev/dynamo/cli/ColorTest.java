package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Help is coloured only on a terminal, and never with {@code --no-color} (before or after the command), with
 * {@code NO_COLOR} set to a non-empty value (no-color.org) or with {@code TERM=dumb}. Decided by dynamo, not left to
 * picocli's {@code Ansi.AUTO}, which in a test run never colours anything and so could not be seen to stop.
 */
class ColorTest {
    private static final String ESC = "\u001b";
    private static final Terminal TERMINAL = new Terminal(true, true);

    @TempDir
    Path home;

    private CommandResult help(Map<String, String> variables, Terminal terminal, String... args) {
        CommandResult result = Cli.isolated(home).withVariables(variables).withTerminal(terminal).run(args);
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stderr()).as("%s", result).isEmpty();
        return result;
    }

    @Test
    void helpIsColoured_onATerminal() {
        assertThat(help(Map.of(), TERMINAL, "copy", "--help").stdout()).contains(ESC + "[");
        assertThat(help(Map.of(), TERMINAL, "--help").stdout()).contains(ESC + "[");
        assertThat(help(Map.of(), TERMINAL, "help", "query").stdout()).contains(ESC + "[");
        assertThat(help(Map.of(), TERMINAL).stdout()).as("dynamo alone prints its help").contains(ESC + "[");
        // An empty NO_COLOR does not count (no-color.org: "present and not an empty string").
        assertThat(help(Map.of("NO_COLOR", ""), TERMINAL, "copy", "--help").stdout()).contains(ESC + "[");
    }

    @Test
    void helpHasNoColour_whenStdoutIsNotATerminal() {
        assertThat(help(Map.of(), Terminal.NONE, "copy", "--help").stdout()).doesNotContain(ESC).contains("Usage: dynamo copy");
        assertThat(help(Map.of(), Terminal.NONE, "help", "copy").stdout()).doesNotContain(ESC);
    }

    @Test
    void helpHasNoColour_withNoColorSet() {
        Map<String, String> noColor = Map.of("NO_COLOR", "1");
        assertThat(help(noColor, TERMINAL, "copy", "--help").stdout()).doesNotContain(ESC).contains("Usage: dynamo copy");
        assertThat(help(noColor, TERMINAL, "--help").stdout()).doesNotContain(ESC);
        assertThat(help(noColor, TERMINAL, "help", "export").stdout()).doesNotContain(ESC);
        assertThat(help(noColor, TERMINAL).stdout()).doesNotContain(ESC);
        assertThat(help(Map.of("TERM", "dumb"), TERMINAL, "copy", "--help").stdout()).doesNotContain(ESC);
    }

    @Test
    void helpHasNoColour_withNoColorOption_beforeOrAfterTheCommand() {
        assertThat(help(Map.of(), TERMINAL, "copy", "--help", "--no-color").stdout()).doesNotContain(ESC)
                .contains("Usage: dynamo copy");
        assertThat(help(Map.of(), TERMINAL, "--no-color", "copy", "--help").stdout()).doesNotContain(ESC)
                .contains("Usage: dynamo copy");
        assertThat(help(Map.of(), TERMINAL, "--no-color", "--help").stdout()).doesNotContain(ESC);
        assertThat(help(Map.of(), TERMINAL, "--no-color", "help", "verify").stdout()).doesNotContain(ESC)
                .contains("Usage: dynamo verify");
        assertThat(help(Map.of(), TERMINAL, "--no-color").stdout()).doesNotContain(ESC).contains("Usage: dynamo");
    }

    @Test
    void errorsHaveNoColour_evenOnATerminal() {
        CommandResult typo = Cli.isolated(home).withTerminal(TERMINAL).run("copy", "--tabel", "Orders");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).startsWith("dynamo: unknown option '--tabel'").doesNotContain(ESC);
    }
}
