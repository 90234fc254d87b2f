package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dynamo completion SHELL} and the hidden {@code dynamo __complete}, in-process: what the scripts ask for. */
class CompleteCommandTest {
    @TempDir
    Path home;

    private Cli withFiles(String environments) throws IOException {
        Path config = Files.writeString(home.resolve("aws-config"), "[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n");
        Path credentials = Files.writeString(home.resolve("aws-credentials"), "[personal]\naws_access_key_id = a\naws_secret_access_key = b\n");
        Path toml = Files.writeString(home.resolve("config.toml"), environments);
        return Cli.isolated(home).withVariables(Map.of("AWS_CONFIG_FILE", config.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(), "DYNAMO_CONFIG", toml.toString()));
    }

    @Test
    void listsEnvironmentsThenProfiles_forAnEnv() throws IOException {
        Cli cli = withFiles("[env.staging]\nprofile = \"work\"\n[env.local]\nendpoint = \"http://127.0.0.1:8000\"\n");
        assertThat(cli.succeed("__complete", "environments").lines()).containsExactly("staging", "local", "default", "personal", "work");
    }

    @Test
    void listsProfilesOnly_forAProfile() throws IOException {
        Cli cli = withFiles("[env.staging]\nprofile = \"work\"\n");
        assertThat(cli.succeed("__complete", "profiles").lines()).containsExactly("default", "personal", "work");
    }

    @Test
    void stillListsProfiles_whenTheEnvironmentsFileIsMalformed() throws IOException {
        Cli cli = withFiles("[env.staging\nprofile = \n");
        assertThat(cli.succeed("__complete", "environments").lines()).containsExactly("default", "personal", "work");
    }

    @Test
    void listsNothing_withoutAnyFile() {
        assertThat(Cli.isolated(home).succeed("__complete", "environments").stdout()).isEmpty();
    }

    @Test
    void listsNoTables_whenNoEnvironmentIsOnTheLine() {
        assertThat(Cli.isolated(home).succeed("__complete", "tables", "--option=-t", "--", "query", "-t").stdout()).isEmpty();
        assertThat(Cli.isolated(home).succeed("__complete", "tables", "--option=--target-table", "--", "copy", "--source",
                "http://127.0.0.1:1", "-t", "Orders").stdout()).as("the target's tables, and no target").isEmpty();
    }

    @Test
    void listsNoTablesAndSaysNothing_forAnUnknownProfile() {
        CommandResult result = Cli.isolated(home).succeed("__complete", "tables", "--option=-t", "--", "query", "-e", "nosuch", "-t");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void givesUpWithinTheDeadline_whenTheEndpointNeverAnswers() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            CommandResult result = Cli.isolated(home).succeed("__complete", "tables", "--option=-t", "--", "describe", "-e",
                    "http://127.0.0.1:" + silent.getLocalPort(), "-t", "");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.stdout()).isEmpty();
            // At least the deadline (it waited for an answer), well under the SDK's 30-second socket timeout (it did not
            // wait for that); the slack is the client's cold set-up on a busy machine, which the deadline does not cover.
            assertThat(millis).as("milliseconds to give up").isBetween(CompleteCommand.TABLES_DEADLINE_MILLIS - 100,
                    CompleteCommand.TABLES_DEADLINE_MILLIS + 8_000);
        }
    }

    @Test
    void printsTheScriptOfEachShell() {
        Cli cli = Cli.isolated(home);
        assertThat(cli.succeed("completion", "bash").stdout()).contains("complete -o bashdefault -F __dynamo_complete dynamo")
                .contains("'query -o'|'query --output') __dynamo_words='summary json jsonl ddb table'")
                .doesNotContain("__complete'|");
        assertThat(cli.succeed("completion", "zsh").stdout()).startsWith("#compdef dynamo\n").contains("bashcompinit");
        assertThat(cli.succeed("completion", "fish").stdout())
                .contains("complete -c dynamo -n '__dynamo_command_is \"\"' -a copy -d 'Copy a table, or the items a query selects, to another environment'")
                .contains("-l format -x -a 'ddb-json ion'");
    }

    @Test
    void refusesAnUnknownShell_withOneLine() {
        CommandResult result = Cli.isolated(home).fail(2, "completion", "tcsh");
        assertThat(result.stderr()).isEqualTo("dynamo: unknown shell 'tcsh': completion scripts are for bash, zsh and fish\n");
    }
}
