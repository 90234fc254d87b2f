package dev.dynamo.testing;

import dev.dynamo.cli.CliContext;
import dev.dynamo.cli.CommandLineFactory;
import dev.dynamo.cli.Terminal;
import dev.dynamo.env.EnvironmentResolver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;

/**
 * Runs {@code dynamo} in-process through {@link CommandLineFactory}, as main does, with captured
 * stdout and stderr, no terminal, and the environment variables and home directory the test gives (the environment
 * variables also give {@code DYNAMO_PROGRAM} and {@code NO_COLOR}, as {@link CliContext#system()} reads them).
 */
public final class Cli {
    private final Map<String, String> variables;
    private final Path home;
    private final Terminal terminal;

    private Cli(Map<String, String> variables, Path home, Terminal terminal) {
        this.variables = Map.copyOf(variables);
        this.home = home;
        this.terminal = terminal;
    }

    /** No AWS variables, a home without ~/.aws, no terminal. */
    public static Cli isolated(Path home) {
        return new Cli(Map.of(), home, Terminal.NONE);
    }

    public Cli withVariables(Map<String, String> newVariables) {
        return new Cli(newVariables, home, terminal);
    }

    public Cli withTerminal(Terminal newTerminal) {
        return new Cli(variables, home, newTerminal);
    }

    public CommandResult run(String... args) {
        EngineLimits.checkSegments(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.create(new EnvironmentResolver(variables, home), terminal, variables);
        int exitCode = CommandLineFactory.create(context, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CommandResult(List.of(args), exitCode, out.toString(), err.toString());
    }

    /** Runs and asserts exit code 0 and an empty stderr, showing everything if not. */
    public CommandResult succeed(String... args) {
        CommandResult result = run(args);
        Assertions.assertThat(result.exitCode()).as("exit code of %s", result).isZero();
        Assertions.assertThat(result.stderr()).as("stderr of %s", result).isEmpty();
        return result;
    }

    /** Runs and asserts the exit code, one line on stderr, and nothing on stdout. */
    public CommandResult fail(int expectedExitCode, String... args) {
        CommandResult result = run(args);
        Assertions.assertThat(result.exitCode()).as("exit code of %s", result).isEqualTo(expectedExitCode);
        Assertions.assertThat(result.stderr().lines().toList()).as("stderr of %s", result).hasSize(1);
        Assertions.assertThat(result.stderr()).as("stderr of %s", result).startsWith("dynamo: ").doesNotContain("\tat ");
        Assertions.assertThat(result.stdout()).as("stdout of %s", result).isEmpty();
        return result;
    }

    /** AssertJ entry point for a result, for custom checks. */
    public static AbstractObjectAssert<?, CommandResult> assertThatResult(CommandResult result) {
        return Assertions.assertThat(result);
    }
}
