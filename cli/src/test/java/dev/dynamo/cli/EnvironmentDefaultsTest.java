package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Defaults for options under [env.NAME] of the environments file: used when the command line does not give the option. */
@EngineTest
class EnvironmentDefaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @TempDir
    Path dir;

    private Path config(String text) throws Exception {
        Path file = home.resolve(".dynamo/config.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void usesTheEnvironmentsOutput_unlessTheCommandLineGivesOne(LocalDynamoDb db) throws Exception {
        String table = TestTables.table("defaults").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), table, List.of(Map.of("pk", s("a"))));
        config("[env.local]\nendpoint = \"" + db.env() + "\"\noutput = \"json\"\n");

        JsonNode items = JSON.readTree(Cli.isolated(home).succeed("query", "-t", table, "--pk", "a", "-e", "local").stdout());
        assertThat(items.isArray()).isTrue();
        assertThat(items.get(0).get("pk").asText()).isEqualTo("a");
        assertThat(Cli.isolated(home).succeed("query", "-t", table, "--pk", "a", "-e", "local", "-o", "jsonl").stdout())
                .isEqualTo("{\"pk\":\"a\"}\n");
        JsonNode tables = JSON.readTree(Cli.isolated(home).succeed("tables", "-e", "local").stdout());
        assertThat(tables.get("TableNames").isArray()).isTrue();
        // The same endpoint by its URL is not the named environment: no defaults.
        assertThat(Cli.isolated(home).succeed("tables", "-e", db.env()).stdout()).doesNotStartWith("{");
    }

    @Test
    void leavesTheCommandsOwnDefault_whenTheEnvironmentsOutputIsAFormatItDoesNotTake(LocalDynamoDb db) throws Exception {
        String table = TestTables.table("defaults").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), table, List.of(Map.of("pk", s("a"))));
        config("[env.local]\nendpoint = \"" + db.env() + "\"\noutput = \"jsonl\"\n");

        assertThat(Cli.isolated(home).succeed("query", "-t", table, "--pk", "a", "-e", "local").stdout()).isEqualTo("{\"pk\":\"a\"}\n");
        assertThat(Cli.isolated(home).succeed("tables", "-e", "local").lines()).contains("\"" + table + "\"");
        // describe takes text and json only: jsonl (meant for query) leaves its text, rather than failing every describe.
        assertThat(Cli.isolated(home).succeed("describe", "-t", table, "-e", "local").stdout()).startsWith("Table:          " + table);
        // A word that is no format at all is still refused, naming the file.
        config("[env.local]\nendpoint = \"" + db.env() + "\"\noutput = \"yaml\"\n");
        assertThat(Cli.isolated(home).fail(2, "describe", "-t", table, "-e", "local").stderr())
                .contains("output = 'yaml'", "is not a value of --output");
    }

    @Test
    void refusesADefaultThatIsNotAValueOfItsOption_namingTheFile(LocalDynamoDb db) throws Exception {
        String table = TestTables.table("defaults").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        Path file = config("[env.local]\nendpoint = \"" + db.env() + "\"\nthreads = \"many\"\nmax-rcu = 100\n");
        CommandResult result = Cli.isolated(home).fail(2, "export", "-t", table, "-e", "local", "--to", dir.resolve("x").toString());
        assertThat(result.stderr()).startsWith("dynamo: [env.local] threads = 'many' in " + file + " is not a value of --threads");
        assertThat(dir.resolve("x")).doesNotExist();
        Cli.isolated(home).succeed("export", "-t", table, "-e", "local", "--to", dir.resolve("y").toString(), "--threads", "2",
                "-q");
        assertThat(dir.resolve("y")).isNotEmptyDirectory();
    }
}
