package dev.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.S3Server;
import dev.dynamo.testing.TestTables;
import software.amazon.awssdk.core.SdkBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Checks the packaged target/dynamo.jar as users run it: in its own JVM. */
@EngineTest
class JarIT {
    private static final Path JAR = Path.of(System.getProperty("dynamo.jar", "target/dynamo.jar"));

    /** What one run of the jar did. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void containsNoDynamoDbLocal_whichMayNotBeRedistributed() throws IOException {
        List<String> forbidden = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith("software/amazon/dynamodb/") || name.startsWith("com/almworks/sqlite4java/")
                        || name.contains("sqlite4java") || name.startsWith("org/eclipse/jetty/")
                        || name.startsWith("com/amazonaws/services/dynamodbv2/local/") || name.contains("DynamoDBLocal")
                        || name.startsWith("LocalDynamoDbServer") || name.startsWith("SampleData")) {
                    forbidden.add(name);
                }
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.dynamo.cli.Main");
        }
        assertThat(forbidden).as("DynamoDB Local files inside dynamo.jar").isEmpty();
    }

    @Test
    void printsVersionAndHelp_fromTheJar() throws Exception {
        Run version = run("--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).startsWith("dynamo ").doesNotContain("development build")
                .containsPattern("^dynamo \\d+\\.\\d+\\.\\d+\\S* \\(git ([0-9a-f]{4,40}|unknown)\\)\n");
        Run help = run("--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.stdout()).contains("Usage: dynamo", "query", "tables", "describe", "Exit codes:");
        assertThat(help.stderr()).as("nothing on stderr, not even logging set-up noise").isEmpty();
    }

    @Test
    void queriesDynamoDbLocal_fromTheJar(LocalDynamoDb db) throws Exception {
        String table = TestTables.table("jar").partitionKey("id", ScalarAttributeType.N).create(db.client());
        TestTables.put(db.client(), table, List.of(Map.of("id", AttributeValue.fromN("7"),
                "amount", AttributeValue.fromN("0.1000000000000000000000000000000000001"))));
        Run query = run("query", "-t", table, "--pk", "7", "-e", db.env(), "-o", "jsonl");
        assertThat(query.exitCode()).as(query.toString()).isZero();
        assertThat(query.stdout()).isEqualTo("{\"id\":7,\"amount\":0.1000000000000000000000000000000000001}\n");
        assertThat(query.stderr()).isEmpty();
    }

    @Test
    void exportsToS3AndImportsBack_fromTheJar(LocalDynamoDb db) throws Exception {
        // The shaded jar must hold the S3 client, ion-java and their service files: what in-process tests cannot see.
        String table = TestTables.table("jarx").partitionKey("id", ScalarAttributeType.N).create(db.client());
        List<Map<String, AttributeValue>> items = List.of(
                Map.of("id", AttributeValue.fromN("1"), "amount", AttributeValue.fromN("0.1000000000000000000000000000000000001"),
                        "tags", AttributeValue.fromSs(List.of("a", "b"))),
                Map.of("id", AttributeValue.fromN("2"), "blob", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes"))));
        TestTables.put(db.client(), table, items);
        String bucket = S3Server.createBucket("jar");
        Run export = run("export", "-t", table, "-e", db.env(), "--to", "s3://" + bucket + "/x", "--format", "ion",
                "--s3-endpoint-url", S3Server.endpoint().toString(), "--checkpoint", Files.createTempDirectory("jar").resolve("c.json").toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        String copy = table + "-in";
        Run imported = run("import", "-t", copy, "-e", db.env(), "--from", "s3://" + bucket + "/x", "--create-table",
                "--s3-endpoint-url", S3Server.endpoint().toString(), "--checkpoint", Files.createTempDirectory("jar").resolve("c.json").toString());
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(CopyFixtures.itemsByKey(db.client(), copy, List.of("id"))).isEqualTo(CopyFixtures.byKey(items, List.of("id")));
    }

    @Test
    void failsWithOneLineAndExitCode2_forAnUnknownOption() throws Exception {
        Run run = run("query", "--tabel", "x");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines().toList()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).startsWith("dynamo: unknown option '--tabel'");
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("dynamo-out", ".txt");
        Path err = Files.createTempFile("dynamo-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("AWS_PROFILE");
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dynamo finished within 60 s").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
