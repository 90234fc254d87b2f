package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.EnvironmentResolver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help leads with the long names the README teaches ({@code --source}, {@code --table}, {@code --pk}); the single-dash
 * forms of dynamo-cmdline ({@code -src}, {@code -pk}, ...) are still accepted, and named once, in one line of help.
 */
class HelpNamesTest {
    private static final Pattern LEGACY = Pattern.compile("(?<![\\w-])-[a-z]{2,}\\b");

    @TempDir
    Path home;

    private CommandLine commandLine(StringWriter out) {
        CommandLine commandLine = CommandLineFactory.create(new CliContext(new EnvironmentResolver(Map.of(), home), Terminal.NONE),
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        commandLine.setUsageHelpAutoWidth(false);
        commandLine.setUsageHelpWidth(80);
        return commandLine;
    }

    private String help(String command) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = commandLine(out);
        int exitCode = command.equals("dynamo") ? commandLine.execute("--help") : commandLine.execute(command, "--help");
        assertThat(exitCode).isZero();
        return out.toString();
    }

    /** The "Usage:" line and the indented lines that continue it. */
    private static String synopsis(String help) {
        List<String> lines = help.lines().toList();
        StringBuilder synopsis = new StringBuilder(lines.get(0));
        for (int i = 1; i < lines.size() && lines.get(i).startsWith(" "); i++) {
            synopsis.append('\n').append(lines.get(i));
        }
        return synopsis.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"query", "copy", "verify", "export", "import", "tables", "describe"})
    void synopsisAndOptionRows_leadWithTheLongName(String command) {
        String help = help(command);
        String synopsis = synopsis(help);
        CommandLine sub = commandLine(new StringWriter()).getSubcommands().get(command);

        for (OptionSpec option : sub.getCommandSpec().options()) {
            String primary = OptionNames.synopsisName(option);
            if (option.arity().max() > 0) {
                assertThat(synopsis).as("synopsis of %s", command).contains(primary + "=");
            }
            for (String name : option.names()) {
                if (!name.equals(primary) && !(option.arity().max() == 0 && name.length() == 2)) {
                    assertThat(synopsis).as("synopsis of %s", command).doesNotContain(" " + name + "=", "[" + name + "=");
                }
            }
        }
        assertThat(LEGACY.matcher(synopsis).results().map(java.util.regex.MatchResult::group).toList()).as("single-dash names in %s", synopsis)
                .isEmpty();
        assertThat(help).as("option rows of %s", command).doesNotContain("-src, ", "-tgt, ", "-pk, --pk", "-sk, --sk",
                "-head, --head");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"query", "copy", "verify", "export"})
    void namesEachSingleDashForm_once(String command) {
        String help = help(command);
        CommandLine sub = commandLine(new StringWriter()).getSubcommands().get(command);
        List<String> legacy = new ArrayList<>();
        for (OptionSpec option : sub.getCommandSpec().options()) {
            for (String name : option.names()) {
                if (OptionNames.isLegacy(name)) {
                    legacy.add(name);
                }
            }
        }
        assertThat(legacy).as("the single-dash forms %s accepts", command).contains("-pk", "-sk");
        String line = help.substring(help.indexOf("The single-dash forms of dynamo-cmdline, the Python tool dynamo descends from"));
        line = line.substring(0, line.indexOf("\n\n"));
        String rest = help.replace(line, "");
        String examples = rest.substring(rest.indexOf("Examples:"));
        for (String name : legacy) {
            assertThat(line).as("the line naming the single-dash forms").containsPattern("(?<![\\w-])" + name + "\\b");
            // Outside that line, only an example may use one.
            assertThat(rest.replace(examples, "")).as("help of %s outside examples", command)
                    .doesNotContainPattern("(?<![\\w-])" + name + "\\b");
        }
    }

    @Test
    void rootHelp_namesEverySingleDashForm() {
        String help = help("dynamo");

        assertThat(help).contains("The single-dash forms of dynamo-cmdline, the Python tool dynamo descends from,\n"
                + "are accepted too: -pk, -sk, -head, -src for --source, -tgt for --target.\n");
    }

    @Test
    void singleDashFormsAreStillAccepted() {
        CommandLine.ParseResult parsed = commandLine(new StringWriter())
                .parseArgs("copy", "-src", "prod", "-tgt", "dev", "-t", "Orders", "-pk", "a", "-sk", "b").subcommand();
        assertThat(parsed.matchedOptionValue("--source", "")).isEqualTo("prod");
        assertThat(parsed.matchedOptionValue("--target", "")).isEqualTo("dev");
        assertThat(parsed.matchedOptionValue("--pk", "")).isEqualTo("a");
        assertThat(parsed.matchedOptionValue("--sk", "")).isEqualTo("b");

        CommandLine.ParseResult query = commandLine(new StringWriter()).parseArgs("query", "-t", "Orders", "-pk", "a", "-head")
                .subcommand();
        assertThat(query.matchedOptionValue("--head", false)).isTrue();
    }
}
