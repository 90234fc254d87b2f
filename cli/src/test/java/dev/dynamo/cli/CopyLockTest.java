package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
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
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Two runs of one copy at once (an overlapping cron job): the second is refused with one line and
 * exit 2 while the first, in a JVM of its own, runs; the first still ends with an exact copy; and a
 * lock left by a run killed with SIGKILL does not stop its resume.
 */
@EngineTest
class CopyLockTest {
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path home;

    @TempDir
    Path files;

    private LocalDynamoDb db;
    private LocalDynamoDb other;
    private String source;
    private String target;

    @BeforeEach
    void tables(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = table(db);
        target = table(other);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            items.add(everyType(Map.of("pk", s("customer#" + i % 97), "sk", n(String.valueOf(i))), i));
        }
        CopyFixtures.putParallel(db.client(), source, items);
    }

    private static String table(LocalDynamoDb server) {
        return TestTables.table("lock").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(server.client());
    }

    private Path checkpoint() {
        EnvironmentResolver environments = new EnvironmentResolver(Map.of(), home);
        return CopyCheckpoint.defaultFile(home, environments.resolve(EnvironmentSpec.of(db.env())),
                environments.resolve(EnvironmentSpec.of(other.env())), CopyPlan.builder(source).targetTable(target).build());
    }

    /** A copy as fast as it goes. */
    private List<String> copy(String mode) {
        return List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target", other.env(),
                "--yes", "--backup", "none", "--mode", mode, "--page-size", "100");
    }

    /**
     * A copy whose writes are held to 400 WCU/s: several seconds for 3,000 items, so other runs come in the middle. The tests
     * wait for its first page (100 items) in the checkpoint, which is saved less often than once a second on a loaded
     * machine: at 800 WCU/s, waiting for 400 items, the same wait in CopyCtrlCTest once saw the copy end first.
     */
    private List<String> slowCopy(String mode) {
        List<String> args = new ArrayList<>(copy(mode));
        args.addAll(List.of("--max-wcu", "400"));
        return args;
    }

    @Test
    void aSecondRunOfACopy_isRefusedWhileTheFirstRuns_andTheFirstEndsWithAnExactCopy() throws Exception {
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("stale"), "sk", n("1"))));
        Path checkpoint = checkpoint();
        Path lockFile = Path.of(checkpoint + ".lock");
        DynamoProcess first = DynamoProcess.start(home, files, slowCopy("replace"));
        Checkpoints.await(checkpoint, c -> c.copiedItems() >= 100, TIMEOUT, first.process());
        String expected = "dynamo: another run of this copy is under way (pid " + first.process().pid() + ", since ";
        String rest = ") with the checkpoint " + checkpoint + ": two at once would undo each other's writes; wait for it to end, "
                + "or stop it (Ctrl-C or kill, which save its checkpoint) and continue it with --resume; nothing was changed";

        // A replace would empty the target under the first run's writes; a merge, and a resume, would share its checkpoint.
        for (List<String> args : List.of(slowCopy("replace"), slowCopy("merge"), withResume(slowCopy("replace")))) {
            long before = CopyCheckpoint.read(checkpoint).copiedItems();
            CommandResult second = Cli.isolated(home).fail(2, args.toArray(String[]::new));
            assertThat(second.stderr().strip()).startsWith(expected).endsWith(rest);
            assertThat(CopyCheckpoint.read(checkpoint).copiedItems()).as("the first run's checkpoint, untouched").isGreaterThanOrEqualTo(before);
        }
        assertThat(lockFile).exists();

        assertThat(first.waitFor(TIMEOUT)).as(first.toString()).isZero();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(checkpoint).doesNotExist();
        assertThat(lockFile).as("released and removed").doesNotExist();
    }

    @Test
    void theLockOfARunKilledWithSigkill_doesNotStopItsResume() throws Exception {
        Path checkpoint = checkpoint();
        Path lockFile = Path.of(checkpoint + ".lock");
        DynamoProcess first = DynamoProcess.start(home, files, slowCopy("merge"));
        Checkpoints.await(checkpoint, c -> c.copiedItems() >= 100, TIMEOUT, first.process());
        first.kill();
        assertThat(lockFile).as("left by the killed run, but no longer locked").exists();

        CommandResult resumed = Cli.isolated(home).run(withResume(copy("merge")).toArray(String[]::new));

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
        assertThat(checkpoint).doesNotExist();
        assertThat(lockFile).doesNotExist();
    }

    private static List<String> withResume(List<String> args) {
        List<String> more = new ArrayList<>(args);
        more.add("--resume");
        return more;
    }
}
