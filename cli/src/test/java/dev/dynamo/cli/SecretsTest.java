package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * No credential ever reaches the output or a file: copy (one that succeeds, one that dead-letters
 * items and backs up the target) and query, at the default verbosity, {@code -vv} and
 * {@code --debug}, with a profile holding recognisable fake keys and a session token, against
 * the local engine. Everything the tool printed (its stdout and stderr, and the process's own
 * stderr, where the logs go) and every file it wrote (backup, dead-letter, anything under the
 * home directory) is searched for the secrets and for signed-request headers.
 */
@EngineTest
class SecretsTest {
    // DynamoDB Local accepts only letters and digits in an access key id; the others just have to look unique.
    static final String ACCESS_KEY_ID = "AKIACANARY7Q3X9ZK2WD";
    static final String SECRET_KEY = "SecretCanary8vPq2LmN4xYz6TbR0wJhE5uKc";
    static final String SESSION_TOKEN = "TokenCanary3Fh9Wq7Zp1Lx5Vn8Rb2Ts6Yd4Gk0Jm";
    /** What a signed request carries: none of it may be printed either. */
    static final List<String> FORBIDDEN = List.of(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN, "TokenCanary", "SecretCanary",
            "AKIACANARY", "X-Amz-Security-Token", "x-amz-security-token", "Authorization", "authorization:", "AWS4-HMAC-SHA256",
            "Signature=", "Credential=");

    @TempDir
    Path home;

    @TempDir
    Path dir;

    @Test
    void neverPrintsOrWritesCredentials_atAnyVerbosity(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        String source = TestTables.table("secret").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Every tenth item has a code the target's GSI (a number key) refuses: it is dead-lettered.
            items.add(Map.of("pk", s("k" + i), "code", i % 10 == 3 ? s("not-a-number") : n(String.valueOf(i))));
        }
        TestTables.put(db.client(), source, items);
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[profile canary]\nregion = us-east-1\nendpoint_url = " + db.env() + "\n"
                + "[profile canary-target]\nregion = us-east-1\nendpoint_url = " + other.env() + "\n");
        String keys = "aws_access_key_id = " + ACCESS_KEY_ID + "\naws_secret_access_key = " + SECRET_KEY + "\naws_session_token = "
                + SESSION_TOKEN + "\n";
        Files.writeString(home.resolve(".aws/credentials"), "[canary]\n" + keys + "[canary-target]\n" + keys);
        Map<Path, String> filesBefore = files(home);

        Map<String, String> printed = new LinkedHashMap<>();
        for (String verbosity : List.of("", "-vv", "--debug")) {
            String target = TestTables.table("secret").partitionKey("pk", ScalarAttributeType.S)
                    .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.ALL).create(other.client());
            TestTables.put(other.client(), target, List.of(Map.of("pk", s("old"), "code", n("1"))));
            List<String> flags = verbosity.isEmpty() ? List.of() : List.of(verbosity);

            CommandResult query = run(printed, flags, "query", "-t", source, "--pk", "k1", "-e", "canary", "-o", "jsonl");
            assertThat(query.exitCode()).as("%s", query).isZero();
            assertThat(query.stdout()).contains("\"k1\"");
            CommandResult failing = run(printed, flags, "copy", "-t", source, "--target-table", target, "--source", "canary",
                    "--target", "canary-target", "--yes", "--backup", "file", "--backup-dir", dir.toString(), "--summary", "json");
            assertThat(failing.exitCode()).as("%s", failing).isEqualTo(1);
            assertThat(failing.stderr()).contains("3 items could not be written");
            CommandResult merge = run(printed, flags, "copy", "-t", source, "--target-table", source + "-copy", "--create-table",
                    "--source", "canary", "--target", "canary", "--mode", "merge", "--backup-dir", dir.toString());
            assertThat(merge.exitCode()).as("%s", merge).isZero();
            CommandResult describe = run(printed, flags, "describe", "-t", target, "-e", "canary-target");
            assertThat(describe.exitCode()).as("%s", describe).isZero();
            db.client().deleteTable(b -> b.tableName(source + "-copy"));
        }

        // The logs were captured (so the search below covers them) and the loggers that print headers are off.
        assertThat(printed.get("-vv query process stderr")).contains("DescribeTable");
        assertThat(printed.get("--debug query process stderr")).contains("DescribeTable");
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String logger : List.of("org.apache.http.wire", "org.apache.http.headers", "software.amazon.awssdk.request",
                "software.amazon.awssdk.auth", "software.amazon.awssdk.http")) {
            assertThat(logs.getLogger(logger).getEffectiveLevel()).as(logger).isEqualTo(Level.OFF);
        }
        Map<Path, String> written = files(dir);
        assertThat(written.keySet()).as("a backup and a dead-letter file per copy that failed")
                .filteredOn(path -> path.toString().endsWith(".failed.jsonl")).hasSize(3);
        assertThat(written.keySet()).filteredOn(path -> path.toString().endsWith(".jsonl.gz")).hasSize(3);
        Map<Path, String> homeAfter = files(home);
        assertThat(homeAfter).as("the home directory is as it was").isEqualTo(filesBefore);

        Map<String, String> everything = new LinkedHashMap<>(printed);
        written.forEach((path, text) -> everything.put("file " + path, text));
        for (Map.Entry<String, String> text : everything.entrySet()) {
            for (String secret : FORBIDDEN) {
                assertThat(text.getValue()).as("%s", text.getKey()).doesNotContain(secret);
            }
        }
    }

    /**
     * Runs the command and keeps what it printed, and what the process printed to its own stdout and
     * stderr meanwhile (where Logback writes), under names like {@code -vv copy stdout}.
     */
    private CommandResult run(Map<String, String> printed, List<String> flags, String... args) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(args));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream processOut = new ByteArrayOutputStream();
        ByteArrayOutputStream processErr = new ByteArrayOutputStream();
        CommandResult result;
        try {
            System.setOut(new PrintStream(processOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
            result = Cli.isolated(home).run(all.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String name = (flags.isEmpty() ? "default" : flags.get(0)) + " " + args[0] + (printed.containsKey(
                (flags.isEmpty() ? "default" : flags.get(0)) + " " + args[0] + " stdout") ? " again" : "");
        printed.put(name + " stdout", result.stdout());
        printed.put(name + " stderr", result.stderr());
        printed.put(name + " process stdout", processOut.toString(StandardCharsets.UTF_8));
        printed.put(name + " process stderr", processErr.toString(StandardCharsets.UTF_8));
        return result;
    }

    /** Every file under the directory, as text (gzip files uncompressed). */
    private static Map<Path, String> files(Path root) throws IOException {
        Map<Path, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes;
                if (path.toString().endsWith(".gz")) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
                        bytes = in.readAllBytes();
                    }
                } else {
                    bytes = Files.readAllBytes(path);
                }
                files.put(path, new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
