package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.testing.Cli;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands dynamo prints for a person to run start with the program as they run it: {@code DYNAMO_PROGRAM}
 * (which the launcher sets), shell-quoted, or {@code dynamo}.
 */
class PrintedCommandTest {
    private static final List<String> EXPORT = List.of("export", "-t", "Orders", "-e", "dev", "--pk", "customer#42",
            "--to", "/tmp/out");

    @TempDir
    Path home;

    private CliContext context(Map<String, String> variables) {
        return CliContext.create(new EnvironmentResolver(variables, home), Terminal.NONE, variables);
    }

    @Test
    void resumeCommandStartsWithDynamo_whenNoProgramIsSet() {
        assertThat(TransferRun.resumeCommand(context(Map.of()), EXPORT))
                .isEqualTo("dynamo export -t Orders -e dev --pk 'customer#42' --to /tmp/out --resume");
        assertThat(TransferRun.resumeCommand(context(Map.of("DYNAMO_PROGRAM", "  ")), EXPORT)).startsWith("dynamo export ");
    }

    @Test
    void resumeCommandStartsWithTheProgramAsTyped() {
        assertThat(TransferRun.resumeCommand(context(Map.of("DYNAMO_PROGRAM", "./dynamo")), EXPORT))
                .isEqualTo("./dynamo export -t Orders -e dev --pk 'customer#42' --to /tmp/out --resume");
    }

    @Test
    void resumeCommandQuotesTheProgram_whenItsPathHasASpace() {
        assertThat(TransferRun.resumeCommand(context(Map.of("DYNAMO_PROGRAM", "/opt/my tools/dynamo")), EXPORT))
                .isEqualTo("'/opt/my tools/dynamo' export -t Orders -e dev --pk 'customer#42' --to /tmp/out --resume");
    }

    @Test
    void theContextNamesTheProgram_fromDynamoProgram() {
        assertThat(context(Map.of()).program()).isEqualTo("dynamo");
        assertThat(context(Map.of("DYNAMO_PROGRAM", "")).program()).isEqualTo("dynamo");
        assertThat(context(Map.of("DYNAMO_PROGRAM", "./dynamo")).program()).isEqualTo("./dynamo");
        assertThat(new CliContext(new EnvironmentResolver(Map.of(), home), Terminal.NONE).program()).isEqualTo("dynamo");
    }

    @Test
    void queryHint_startsWithTheProgram() {
        String error = Cli.isolated(home).withVariables(Map.of("DYNAMO_PROGRAM", "./dynamo"))
                .fail(2, "query", "-t", "Orders", "-e", "http://127.0.0.1:9").stderr();

        assertThat(error).contains("for example: ./dynamo query -t Orders --pk customer#42");
        assertThat(Cli.isolated(home).fail(2, "query", "-t", "Orders", "-e", "http://127.0.0.1:9").stderr())
                .contains("for example: dynamo query -t Orders --pk customer#42");
    }

    @Test
    void usageHint_startsWithTheProgram() {
        String error = Cli.isolated(home).withVariables(Map.of("DYNAMO_PROGRAM", "./dynamo"))
                .fail(2, "query", "--tabel", "Orders").stderr();

        assertThat(error).endsWith("(see './dynamo query --help')\n");
        assertThat(Cli.isolated(home).fail(2, "query", "--tabel", "Orders").stderr()).endsWith("(see 'dynamo query --help')\n");
    }

    @picocli.CommandLine.Command(name = "dynamo")
    static final class FailingCommand implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw dev.dynamo.DynamoException.usage("table 'Ordres' not found in 'dev' (eu-west-1); list the tables there with: "
                    + "dynamo tables -e dev");
        }
    }

    @Test
    void theEngineNamesACommandToRun_startingWithTheProgram() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exitCode = new picocli.CommandLine(new FailingCommand()).setErr(new java.io.PrintWriter(err))
                .setExecutionExceptionHandler(new ErrorHandler("'/opt/my tools/dynamo'")).execute();

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dynamo: table 'Ordres' not found in 'dev' (eu-west-1); list the tables there with: "
                + "'/opt/my tools/dynamo' tables -e dev" + System.lineSeparator());
    }
}
