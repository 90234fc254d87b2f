package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyPlan;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.testing.Checkpoints;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.DynamoProcess;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Ctrl-C as a terminal sends it (SIGINT) to a copy in a JVM of its own: the first stops it
 * gracefully with exit 130 and the exact command that resumes it; a second quits at once; SIGTERM
 * stops it like the first Ctrl-C, with exit 143; and running the printed command finishes the copy
 * exactly.
 */
@EngineTest
class CopyCtrlCTest {
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path home;

    @TempDir
    Path files;

    private static List<Map<String, AttributeValue>> items(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Map.of("pk", s("customer#" + i % 97), "sk", n(String.valueOf(i)), "name", s("item " + i), "total", n(i + ".5")));
        }
        return items;
    }

    private static String table(LocalDynamoDb server) {
        return TestTables.table("ctrlc").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(server.client());
    }

    private Path checkpoint(String sourceEnv, String source, String targetEnv, String target) {
        EnvironmentResolver environments = new EnvironmentResolver(Map.of(), home);
        return CopyCheckpoint.defaultFile(home, environments.resolve(EnvironmentSpec.of(sourceEnv)),
                environments.resolve(EnvironmentSpec.of(targetEnv)), CopyPlan.builder(source).targetTable(target).build());
    }

    /** The command after {@code resume with: } in the message, as the words a POSIX shell makes of it. */
    private static List<String> resumeCommand(String stderr) {
        int at = stderr.indexOf("resume with: ");
        assertThat(at).as("a resume command in %s", stderr).isNotNegative();
        String command = stderr.substring(at + "resume with: ".length()).lines().findFirst().orElseThrow();
        List<String> words = shellWords(command);
        assertThat(words.get(0)).isEqualTo("dynamo");
        return words.subList(1, words.size());
    }

    /** Splits a command line as sh does for plain words, single quotes and backslash escapes (all that quoting makes). */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '\\') {
                word.append(line.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** Sends a signal to a running {@code dynamo} process. */
    @FunctionalInterface
    private interface Signal {
        void send(DynamoProcess process) throws Exception;
    }

    /**
     * Copies 4,000 items in a JVM of its own, sends {@code signal} once the first page is written, and checks
     * the graceful stop: exit code {@code exitCode} within 3 s, nothing on stdout, a checkpoint at the
     * copy stage, and a last line with the command that resumes; then runs that command and checks the
     * target item by item.
     *
     * @return the stopped run's stderr lines
     */
    private List<String> stopPartWayThenResume(LocalDynamoDb db, LocalDynamoDb other, String source, String target, Path backups,
            Signal signal, int exitCode) throws Exception {
        CopyFixtures.putParallel(db.client(), source, items(4000));
        // 4,000 items of 1 WCU at 400 WCU/s: ten seconds, so the signal comes early in the copy. The checkpoint is saved about
        // once a second, but less often when its writes are slow (a loaded machine): at 800 WCU/s and waiting for 400 items, a
        // copy once ended before its checkpoint showed more than 300. The first page (100 items) is the mark waited for.
        List<String> args = List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target", other.env(),
                "--yes", "--backup-dir", backups.toString(), "--max-wcu", "400", "--page-size", "100");
        Path checkpoint = checkpoint(db.env(), source, other.env(), target);

        DynamoProcess copy = DynamoProcess.start(home, files, args);
        Checkpoints.await(checkpoint, c -> c.copiedItems() >= 100, TIMEOUT, copy.process());
        long sent = System.nanoTime();
        signal.send(copy);
        int exited = copy.waitFor(TIMEOUT);
        double seconds = (System.nanoTime() - sent) / 1e9;

        assertThat(exited).as(copy.toString()).isEqualTo(exitCode);
        assertThat(seconds).as("seconds from the signal to exit").isLessThan(3);
        List<String> lines = copy.stderr().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last).as(copy.toString()).startsWith("dynamo: interrupted: ")
                .contains("; the checkpoint is " + checkpoint + "; resume with: dynamo copy -t " + source);
        assertThat(copy.stdout()).isEmpty();
        // The run released its lock before it ended: no lock file is left for the next run to find.
        assertThat(checkpoint.resolveSibling(checkpoint.getFileName() + ".lock")).as("the lock file").doesNotExist();
        CopyCheckpoint saved = CopyCheckpoint.read(checkpoint);
        assertThat(saved.stage()).isEqualTo(CopyCheckpoint.Stage.COPY);
        assertThat(saved.copiedItems()).as("stopped part way").isBetween(100L, 3999L);

        CommandResult resumed = Cli.isolated(home).run(resumeCommand(last).toArray(String[]::new));

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(checkpoint).doesNotExist();
        return lines;
    }

    @Test
    void ctrlC_stopsTheCopyGracefully_exits130_andTheCommandItPrintsFinishesTheCopy(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = table(db);
        String target = table(other);
        Path backups = Files.createDirectories(files.resolve("back ups"));
        Path checkpoint = checkpoint(db.env(), source, other.env(), target);

        List<String> lines = stopPartWayThenResume(db, other, source, target, backups, DynamoProcess::interrupt, 130);

        assertThat(lines).contains(
                "stopping: the batches being written finish and the checkpoint is saved (Ctrl-C again to quit at once)");
        assertThat(lines.get(lines.size() - 1)).startsWith("dynamo: interrupted: ").contains(" items written and 0 deleted; table '"
                + target + "' in '" + other.env() + "' (us-east-1) is left part way, neither as it was nor a full copy; the checkpoint is "
                + checkpoint + "; resume with: dynamo copy -t " + source + " --target-table " + target + " --source " + db.env()
                + " --target " + other.env() + " --yes --backup-dir '" + backups + "' --max-wcu 400 --page-size 100 --resume");
    }

    @Test
    void sigterm_stopsTheCopyLikeTheFirstCtrlC_exits143_andTheCommandItPrintsFinishesTheCopy(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        stopPartWayThenResume(db, other, table(db), table(other), files, DynamoProcess::terminate, 143);
    }

    @Test
    void secondCtrlC_quitsAtOnce_whileBatchesAreInFlight_andTheCheckpointStillResumesExactly(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = table(db);
        String target = table(other);
        TestTables.put(db.client(), source, items(600));
        try (FaultProxy slow = FaultProxy.start(other.endpoint())) {
            // Every write takes three seconds: the first Ctrl-C would wait for the batches in flight.
            slow.policy((operation, n) -> operation.equals("BatchWriteItem") ? Fault.delay(3000) : Fault.NONE);
            List<String> args = List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target", slow.env(),
                    "--page-size", "50", "--threads", "2");
            Path checkpoint = checkpoint(db.env(), source, slow.env(), target);

            DynamoProcess copy = DynamoProcess.start(home, files, args);
            Checkpoints.await(checkpoint, c -> c.stage() == CopyCheckpoint.Stage.COPY, TIMEOUT, copy.process());
            Thread.sleep(500); // the writers are in their first BatchWriteItem
            copy.interrupt();
            Thread.sleep(300);
            long again = System.nanoTime();
            copy.interrupt();
            int exitCode = copy.waitFor(TIMEOUT);
            double seconds = (System.nanoTime() - again) / 1e9;

            assertThat(exitCode).as(copy.toString()).isEqualTo(130);
            assertThat(seconds).as("seconds from the second Ctrl-C to exit").isLessThan(1.5);
            String last = copy.stderr().lines().reduce((a, b) -> b).orElseThrow();
            assertThat(last).as(copy.toString()).startsWith("dynamo: stopped at once by a second Ctrl-C; the checkpoint " + checkpoint
                    + " holds every write acknowledged until its last save; resume with: dynamo copy -t " + source);
            assertThat(CopyCheckpoint.read(checkpoint).copiedItems()).as("nothing was acknowledged yet").isZero();

            slow.policy((operation, n) -> Fault.NONE);
            CommandResult resumed = Cli.isolated(home).run(resumeCommand(last).toArray(String[]::new));

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
            assertThat(checkpoint).doesNotExist();
        }
    }
}
