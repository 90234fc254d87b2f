package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.EnvironmentResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man pages the build wrote in target/man (one per command, from the command model), read by the real {@code man}
 * as a person reads them: on 80 columns, with groff's warnings on.
 */
class ManPageIT {
    private static final Path MAN_DIR = Path.of(System.getProperty("dynamo.man.dir", "target/man"));

    @TempDir
    static Path home;

    /** What one run of man printed. */
    record Rendered(int exitCode, String stdout, String stderr) {
    }

    @Test
    void writesOnePagePerCommand_andNoOther() throws IOException {
        List<String> expected = commands().map(spec -> spec.qualifiedName("-") + ".1").sorted().toList();
        List<String> written;
        try (Stream<Path> files = Files.list(MAN_DIR)) {
            written = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".1")).sorted().toList();
        }
        assertThat(expected).contains("dynamo.1", "dynamo-copy.1", "dynamo-query.1", "dynamo-help.1");
        assertThat(written).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandNames")
    void rendersWithoutWarnings_andShowsEveryOption(String page) throws Exception {
        CommandSpec spec = commands().filter(command -> command.qualifiedName("-").equals(page)).findFirst().orElseThrow();
        Rendered man = man(MAN_DIR.resolve(page + ".1"));
        assertThat(man.exitCode()).as(man.toString()).isZero();
        assertThat(man.stderr()).as("groff's warnings for %s.1", page).isEmpty();
        String text = man.stdout();
        String flat = text.replaceAll("\\s+", " ");
        assertThat(text).as(page).contains("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS")
                .contains(page.toUpperCase() + "(1)");
        String[] summary = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
        assertThat(flat).as(page).contains(page + " - " + summary[0].replaceAll("\\s+", " "));
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                assertThat(text).as("option %s in %s.1", name, page).containsPattern("(^|[\\s\\[,])" + java.util.regex.Pattern.quote(name) + "([\\s=,.\\]]|$)");
            }
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            assertThat(text).as("parameter %s in %s.1", positional.paramLabel(), page).contains(positional.paramLabel());
        }
        for (String exitCode : spec.usageMessage().exitCodeList().keySet()) {
            if (!exitCode.isBlank()) {
                assertThat(text).as("exit code %s in %s.1", exitCode, page).containsPattern("(?m)^\\s+" + exitCode.strip() + "$");
            }
        }
        // The help's last line names the DynamoDB APIs the command calls: the page must keep it.
        List<String> footer = Arrays.asList(spec.usageMessage().footer());
        String api = String.join(" ", footer.subList(Math.max(0, indexOfApiLine(footer)), footer.size())).replaceAll("\\s+", " ").strip();
        if (api.startsWith("[API: ")) {
            assertThat(flat).as("API line in %s.1", page).contains(api);
        }
    }

    private static int indexOfApiLine(List<String> footer) {
        for (int i = footer.size() - 1; i >= 0; i--) {
            if (footer.get(i).startsWith("[API: ")) {
                return i;
            }
        }
        return -1;
    }

    static Stream<String> commandNames() {
        return commands().map(spec -> spec.qualifiedName("-"));
    }

    /** The root command and every subcommand, at any depth, as the build's ManPageWriter saw them. */
    private static Stream<CommandSpec> commands() {
        CommandLine commandLine = CommandLineFactory.create(new CliContext(new EnvironmentResolver(Map.of(), home), Terminal.NONE),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<CommandSpec> all = new ArrayList<>();
        collect(commandLine.getCommandSpec(), all);
        return all.stream();
    }

    private static void collect(CommandSpec spec, List<CommandSpec> all) {
        if (spec.usageMessage().hidden() || all.contains(spec)) {
            return;
        }
        all.add(spec);
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), all));
    }

    /** {@code man --warnings -l PAGE} on 80 columns, in the C locale (plain ASCII hyphens and quotes), without a pager. */
    private static Rendered man(Path page) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "man", ".out");
        Path err = Files.createTempFile(home, "man", ".err");
        ProcessBuilder builder = new ProcessBuilder("man", "--warnings", "-l", page.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("MANWIDTH", "80");
        builder.environment().put("MANPAGER", "cat");
        builder.environment().put("LC_ALL", "C");
        builder.environment().remove("MANOPT");
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("man finished within 30 s").isTrue();
        return new Rendered(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
