package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.testing.Snapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Each command's {@code --help} against src/test/resources/help/COMMAND.txt, so that every change
 * to the help is seen in review. Regenerate with {@code ./mvnw -B -q test -Dtest=HelpSnapshotTest
 * -Dupdate.snapshots=true}.
 */
class HelpSnapshotTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dynamo", "query", "copy", "verify", "export", "import", "tables", "describe", "completion"})
    void matchesTheSnapshot_forEachCommandsHelp(String command) {
        String help = help(command);
        assertThat(help.strip()).as("help of %s", command).endsWith("]").contains("[API: ").contains("Examples:");
        assertThat(help.lines()).as("help of %s", command).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        Snapshot.assertMatches("help/" + command + ".txt", help, "the help of '" + (command.equals("dynamo") ? "" : "dynamo ")
                + command + "'");
    }

    /** The help as a person reads it on an 80-column terminal without colours, whatever runs the test. */
    private String help(String command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CommandLineFactory.create(
                new CliContext(new EnvironmentResolver(Map.of(), home), Terminal.NONE), new PrintWriter(out), new PrintWriter(err));
        commandLine.setUsageHelpAutoWidth(false);
        commandLine.setUsageHelpWidth(80);
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        List<String> args = new ArrayList<>();
        if (!command.equals("dynamo")) {
            args.add(command);
        }
        args.add("--help");
        int exitCode = commandLine.execute(args.toArray(String[]::new));
        assertThat(exitCode).as("exit code of --help").isZero();
        assertThat(err.toString()).as("stderr of --help").isEmpty();
        return out.toString();
    }
}
