package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Named environments of ~/.dynamo/config.toml against the local engine: {@code prod} is marked protected = true and
 * {@code local} is not, both on the same endpoint. Every writing command is refused with exit 2 and nothing written;
 * every reading command works; --allow-protected-target opens the way only with the exact name.
 */
@EngineTest
class ProtectedEnvironmentTest {
    @TempDir
    Path home;

    @TempDir
    Path dir;

    private LocalDynamoDb db;
    private Path configFile;
    private String source;
    private String target;

    @BeforeEach
    void environmentsAndTables(LocalDynamoDb engine) throws IOException {
        db = engine;
        configFile = home.resolve(".dynamo/config.toml");
        Files.createDirectories(configFile.getParent());
        Files.writeString(configFile, "[env.local]\nendpoint = \"" + db.env() + "\"\n\n"
                + "[env.prod]\nendpoint = \"" + db.env() + "\"\nprotected = true\n");
        source = TestTables.table("unguarded").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("new1")), Map.of("pk", s("new2"))));
        target = TestTables.table("guarded").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), target, List.of(Map.of("pk", s("old1")), Map.of("pk", s("old2")), Map.of("pk", s("old3"))));
    }

    private Map<String, Map<String, AttributeValue>> items(String table) {
        return CopyFixtures.itemsByKey(db.client(), table, List.of("pk"));
    }

    private String refusal() {
        return "dynamo: environment 'prod' is protected (protected = true in " + configFile + "): it is read, never written; "
                + "to write to it all the same, add --allow-protected-target prod\n";
    }

    private static String[] args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void refusesEveryCopyAndImportIntoAProtectedEnvironment_andWritesNothing() {
        Path export = dir.resolve("export");
        Cli.isolated(home).succeed("export", "-t", source, "-e", "local", "--to", export.toString(), "-q");
        Map<String, Map<String, AttributeValue>> before = items(target);
        List<String> copy = List.of("copy", "-t", source, "--target-table", target, "--source", "local", "--target", "prod",
                "--backup-dir", dir.toString());
        List<String> importing = List.of("import", "-t", target, "-e", "prod", "--from", export.toString(),
                "--backup-dir", dir.toString());
        List<String[]> writes = List.of(
                args(copy), args(copy, "--yes"), args(copy, "--mode", "merge"), args(copy, "--yes", "--rewrite-all"),
                args(copy, "--pk", "new1"), args(copy, "--dry-run"), args(copy, "--resume", "--yes"),
                args(importing), args(importing, "--mode", "replace", "--yes"), args(importing, "--dry-run"));
        for (String[] write : writes) {
            CommandResult result = Cli.isolated(home).fail(2, write);
            assertThat(result.stderr()).as("%s", result).isEqualTo(refusal());
        }
        assertThat(items(target)).isEqualTo(before);
        // No backup, dead-letter or checkpoint file either: the backup directory holds only the export.
        assertThat(dir).isDirectoryNotContaining(path -> !path.getFileName().toString().equals("export"));
    }

    @Test
    void readsAProtectedEnvironment_withEveryReadingCommand() {
        assertThat(Cli.isolated(home).succeed("tables", "-e", "prod").lines()).contains(target);
        assertThat(Cli.isolated(home).succeed("describe", "-t", target, "-e", "prod").stdout()).contains(target);
        assertThat(Cli.isolated(home).succeed("query", "-t", target, "--pk", "old2", "-e", "prod", "-o", "jsonl").stdout())
                .contains("old2");
        Path export = dir.resolve("prod-export");
        Cli.isolated(home).succeed("export", "-t", target, "-e", "prod", "--to", export.toString(), "-q");
        assertThat(export).isNotEmptyDirectory();
        String copy = TestTables.table("fromprod").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        Cli.isolated(home).succeed("copy", "-t", target, "--target-table", copy, "--source", "prod", "--target", "local",
                "--mode", "merge", "--no-progress", "-q");
        assertThat(items(copy)).isEqualTo(items(target));
        Cli.isolated(home).succeed("verify", "-t", target, "--target-table", copy, "--source", "prod", "--target", "local",
                "-q");
    }

    @Test
    void writesToAProtectedEnvironment_onlyWhenTheOverrideRepeatsItsName() {
        Map<String, Map<String, AttributeValue>> before = items(target);
        List<String> copy = List.of("copy", "-t", source, "--target-table", target, "--source", "local", "--target", "prod",
                "--mode", "merge", "--no-progress", "-q");
        for (String wrong : List.of("Prod", "local", "yes", "")) {
            CommandResult result = Cli.isolated(home).fail(2, args(copy, "--allow-protected-target", wrong));
            assertThat(result.stderr()).isEqualTo("dynamo: --allow-protected-target '" + wrong
                    + "' must repeat the name of the target, 'prod'\n");
        }
        CommandResult notProtected = Cli.isolated(home).fail(2, "copy", "-t", target, "--target-table", source,
                "--source", "prod", "--target", "local", "--mode", "merge", "--allow-protected-target", "prod");
        assertThat(notProtected.stderr()).isEqualTo("dynamo: --allow-protected-target 'prod' must repeat the name of the "
                + "target, 'local'\n");
        assertThat(items(target)).isEqualTo(before);

        Cli.isolated(home).succeed(args(copy, "--allow-protected-target", "prod"));
        assertThat(items(target).values()).hasSize(5).contains(Map.of("pk", s("new1")), Map.of("pk", s("new2")));
    }

    @Test
    void namesTheFileAndLine_ofAMalformedEnvironmentsFile() throws IOException {
        Files.writeString(configFile, "[env.prod]\nendpoint = \"" + db.env() + "\"\nprotected = yes\n");
        CommandResult result = Cli.isolated(home).fail(2, "tables", "-e", "prod");
        assertThat(result.stderr()).startsWith("dynamo: malformed environments file " + configFile + ", line 3: ");
        Path other = dir.resolve("team.toml");
        Files.writeString(other, "[env.prod]\nendpoint = \"" + db.env() + "\"\n");
        assertThat(Cli.isolated(home).withVariables(Map.of("DYNAMO_CONFIG", other.toString()))
                .succeed("tables", "-e", "prod").lines()).contains(target);
    }
}
