package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code --resume} after a killed driver: a copy runs in a JVM of its own (the test classpath, local[2]), slowed by
 * --max-wcu, and is killed with SIGKILL once its checkpoint records a finished segment and the position of another
 * part way; the resume, in this JVM, reads no finished segment again (Scans counted per segment through a proxy),
 * reads each unfinished one from its saved position on (the items it reads are exactly those after the positions),
 * and the target ends exact item by item. A resume without a checkpoint, or of another job's, is refused with exit 2 and one line.
 */
@EngineTest
class SparkResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEGMENT = Pattern.compile("\"Segment\":(\\d+)");
    private static final int ITEMS = 400;
    private static final int SEGMENTS = 8;

    @TempDir
    Path home;


    private SparkRun run(List<String> args) {
        SparkTestContext.get();
        return SparkRun.of(home, args.toArray(String[]::new));
    }

    private List<String> copyArgs(String source, String target, String table, String targetTable, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", table, "--source", source, "--target", target,
                "--target-table", targetTable, "--create-table", "--segments", String.valueOf(SEGMENTS), "--summary", "json",
                "--no-progress", "--checkpoint", home.resolve("checkpoint").toString(), "--dead-letter", home.resolve("dead").toString()));
        args.addAll(Arrays.asList(more));
        return args;
    }

    @Test
    void resumesAKilledDriver_withoutReadingFinishedSegmentsAgain_toAnExactCopy(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = TestTables.table("spark-resume").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(ITEMS, 37));
        String target = TestTables.uniqueName("spark-resume-copy");
        Path done = home.resolve("checkpoint").resolve("done");
        Map<Integer, AtomicInteger> scans = new ConcurrentHashMap<>();
        SparkRun resumed;
        // Both runs read through one proxy (the checkpoint names the source's endpoint), which counts Scans per segment.
        try (FaultProxy from = FaultProxy.start(db.endpoint()).observe((operation, body) -> {
            Matcher segment = SEGMENT.matcher(body);
            if (operation.equals("Scan") && segment.find()) {
                scans.computeIfAbsent(Integer.parseInt(segment.group(1)), key -> new AtomicInteger()).incrementAndGet();
            }
        })) {
            // 400 items of 1 WCU or more at 30 WCU/s: 13 s of writes or more, in 8 segments of about 50 items, pages of 10.
            Process driver = startDriver(copyArgs(from.env(), other.env(), source, target, "--max-wcu", "30", "--page-size", "10"));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                // Killed once a segment finished and another's position part way is saved.
                while (finishedFiles(done) == 0 || !positionSaved(home.resolve("checkpoint"))) {
                    assertThat(driver.isAlive()).as("the driver runs until killed; its stderr: %s", stderr()).isTrue();
                    assertThat(System.nanoTime()).as("a segment finished within 180 s").isLessThan(deadline);
                    Thread.sleep(50);
                }
            } finally {
                driver.destroyForcibly(); // SIGKILL: no shutdown hook, no listener, no last checkpoint write
                driver.waitFor(30, TimeUnit.SECONDS);
            }
            SparkCheckpoint killed = new SparkCheckpoint(home.resolve("checkpoint"));
            Set<Integer> finished = killed.finished();
            assertThat(finished).as("finished segments recorded before the kill").isNotEmpty();
            assertThat(finished.size()).as("the kill came before the end").isLessThan(SEGMENTS);
            long finishedItems = killed.results().values().stream().mapToLong(result -> result.path("scanned").asLong()).sum();
            Map<Integer, JsonNode> positions = new java.util.TreeMap<>(killed.positions());
            positions.keySet().removeAll(finished);
            assertThat(positions).as("unfinished segments with a saved position").isNotEmpty();
            long positionItems = positions.values().stream().mapToLong(position -> position.path("items").asLong()).sum();
            assertThat(positionItems).isPositive();

            // Another job's checkpoint (another target table) is refused, and nothing is created.
            String otherTarget = TestTables.uniqueName("spark-resume-other");
            SparkRun refused = run(copyArgs(from.env(), other.env(), source, otherTarget, "--resume"));
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
            assertThat(refused.err()).startsWith("dynamo: the checkpoint in ").contains("is of another copy: its targetTable is '"
                    + target + "'").hasLineCount(1).doesNotContain("Exception");
            assertThat(other.client().listTables().tableNames()).doesNotContain(otherTarget);

            scans.clear();
            resumed = run(copyArgs(from.env(), other.env(), source, target, "--resume", "--page-size", "10"));
            assertResumed(resumed, finished, scans);
            // Each unfinished segment was read from its saved position on: none of the items written before it again.
            assertThat(JSON.readTree(resumed.out()).path("scanned").asLong()).as("items read by the resume (%s)", positions)
                    .isEqualTo(ITEMS - finishedItems - positionItems);
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
        assertThat(home.resolve("checkpoint")).as("a finished job removes its checkpoint").doesNotExist();
    }

    private static void assertResumed(SparkRun resumed, Set<Integer> finished, Map<Integer, AtomicInteger> scans) throws IOException {
        assertThat(resumed.exitCode()).as("%s", resumed).isZero();
        assertThat(resumed.err()).contains("resuming the copy of table '")
                .contains(String.format("%d of %d segments finished", finished.size(), SEGMENTS));
        assertThat(scans.keySet()).as("segments read by the resume (finished before: %s)", finished)
                .doesNotContainAnyElementsOf(finished).hasSize(SEGMENTS - finished.size());
        JsonNode summary = JSON.readTree(resumed.out());
        assertThat(summary.path("segmentsSkipped").asInt()).isEqualTo(finished.size());
        assertThat(summary.path("scanned").asLong()).as("only the unfinished segments' items").isPositive().isLessThan(ITEMS);
        assertThat(summary.path("failed").asLong()).isZero();
    }

    @Test
    void resumeWithoutACheckpoint_isRefusedWithExit2_inOneLine(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("spark-resume-none").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.uniqueName("spark-resume-none-copy");

        SparkRun result = run(copyArgs(db.env(), other.env(), source, target, "--resume"));

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).startsWith("dynamo: no checkpoint to resume in " + home.resolve("checkpoint"))
                .hasLineCount(1).doesNotContain("Exception");
        assertThat(other.client().listTables().tableNames()).doesNotContain(target);
    }

    /** The copy in a JVM of its own, as ./dynamo-spark runs it, on the test classpath. */
    private Process startDriver(List<String> copyArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList(System.getProperty("spark.java.options").trim().split("\\s+")));
        command.addAll(List.of("-Duser.home=" + home, "-Daws.disableEc2Metadata=true", "-Dspark.local.dir=" + home.resolve("spark"),
                "-Dlog4j2.configurationFile=dynamo-spark-log4j2.properties",
                "-cp", System.getProperty("java.class.path"), DynamoSpark.class.getName(), "--master", "local[2]"));
        command.addAll(copyArgs);
        return new ProcessBuilder(command).redirectOutput(home.resolve("stdout.txt").toFile())
                .redirectError(home.resolve("stderr.txt").toFile()).start();
    }

    private String stderr() {
        try {
            return Files.readString(home.resolve("stderr.txt"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A position of an unfinished segment, part way, is in the checkpoint. */
    private static boolean positionSaved(Path checkpoint) {
        if (!Files.isRegularFile(checkpoint.resolve("positions.json"))) {
            return false;
        }
        try {
            SparkCheckpoint saved = new SparkCheckpoint(checkpoint);
            Set<Integer> finished = saved.finished();
            return saved.positions().entrySet().stream()
                    .anyMatch(entry -> !finished.contains(entry.getKey()) && entry.getValue().path("items").asLong() > 0);
        } catch (RuntimeException e) {
            return false; // being replaced: look again
        }
    }

    private static long finishedFiles(Path done) throws IOException {
        if (!Files.isDirectory(done)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).count();
        }
    }
}
