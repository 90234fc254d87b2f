package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.S3Server;
import dev.dynamo.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The checkpoint and the dead letters on S3 (S3Proxy): a copy whose source fails part way exits 1 with its finished
 * segments in an s3:// checkpoint, and --resume finishes it exactly and removes the checkpoint and its lock; items the
 * target refuses (a GSI key of the wrong type) end up in dead-letter objects on S3, whole, exactly the refused items; a
 * second job on a checkpoint in use (local: the operating system's lock; S3: a fresh lock object) is refused with exit
 * 2 in one line, and an S3 lock whose heartbeat has expired (a killed driver's) is taken over.
 */
@EngineTest
class SparkCheckpointStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;


    private SparkRun run(List<String> args) {
        SparkTestContext.get();
        return SparkRun.of(home, args.toArray(String[]::new));
    }

    private static List<String> copyArgs(String source, String target, String table, String targetTable, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", table, "--source", source, "--target", target,
                "--target-table", targetTable, "--summary", "json", "--no-progress", "--s3-endpoint-url",
                S3Server.endpoint().toString(), "--s3-region", "us-east-1"));
        args.addAll(Arrays.asList(more));
        return args;
    }

    private static List<String> keys(String bucket, String prefix) {
        return S3Server.client().listObjectsV2(request -> request.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    @Test
    void resumesAFailedCopy_fromAnS3Checkpoint_toAnExactCopy(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = TestTables.table("spark-s3-resume").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(300, 11));
        String target = TestTables.uniqueName("spark-s3-resume-copy");
        String bucket = S3Server.createBucket("spark-checkpoint");
        String checkpoint = "s3://" + bucket + "/jobs/copy";
        try (FaultProxy from = FaultProxy.start(db.endpoint())) {
            // 6 segments of 3 pages: the 10th Scan and every later one is refused, so the first segments finish and the
            // others fail on every attempt.
            from.policy((operation, n) -> operation.equals("Scan") && n >= 10 ? Fault.accessDenied() : Fault.NONE);
            List<String> args = copyArgs(from.env(), other.env(), source, target, "--create-table", "--segments", "6",
                    "--page-size", "20", "--checkpoint", checkpoint);

            SparkRun failed = run(args);

            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.err().lines().toList()).last().asString().startsWith("dynamo: a segment task failed")
                    .endsWith("the finished segments are in the checkpoint " + checkpoint + ": add --resume to continue");
            List<String> saved = keys(bucket, "jobs/copy/");
            assertThat(saved).contains("jobs/copy/job.json").doesNotContain("jobs/copy/lock.json")
                    .anyMatch(key -> key.startsWith("jobs/copy/done/task-"));
            int finished = (int) saved.stream().filter(key -> key.startsWith("jobs/copy/done/task-")).count();
            assertThat(finished).as("finished segments before the failure").isBetween(1, 5);

            from.policy((operation, n) -> Fault.NONE);
            SparkRun resumed = run(copyArgs(from.env(), other.env(), source, target, "--segments", "6", "--page-size", "20",
                    "--checkpoint", checkpoint, "--resume"));

            assertThat(resumed.exitCode()).as("%s", resumed).isZero();
            assertThat(resumed.err()).contains(finished + " of 6 segments finished").contains("(checkpoint " + checkpoint + ")");
            assertThat(JSON.readTree(resumed.out()).path("segmentsSkipped").asInt()).isEqualTo(finished);
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
        assertThat(keys(bucket, "jobs/")).as("a finished job removes its checkpoint and its lock").isEmpty();
    }

    @Test
    void keepsItemsThatCannotBeWritten_inDeadLetterObjectsOnS3(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = TestTables.table("spark-s3-dead").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.table("spark-s3-dead").partitionKey("pk", ScalarAttributeType.S)
                .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.ALL).create(other.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> bad = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS("k" + i)));
            boolean refused = i % 40 == 7;
            item.put("code", refused ? AttributeValue.fromS("not-a-number-" + i) : AttributeValue.fromN(String.valueOf(i)));
            items.add(item);
            if (refused) {
                bad.add(item);
            }
        }
        CopyFixtures.putParallel(db.client(), source, items);
        String bucket = S3Server.createBucket("spark-dead");
        String deadLetters = "s3://" + bucket + "/failed";

        SparkRun result = run(copyArgs(db.env(), other.env(), source, target, "--segments", "4", "--dead-letter", deadLetters,
                "--checkpoint", home.resolve("checkpoint").toString()));

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.err().lines().toList()).containsExactly("dynamo: 5 items could not be written; they are in " + deadLetters
                + " (one file per segment)");
        JsonNode summary = JSON.readTree(result.out());
        assertThat(summary.path("failed").asLong()).isEqualTo(5);
        assertThat(summary.path("written").asLong()).isEqualTo(195);
        assertThat(summary.path("deadLetterDirectory").asText()).isEqualTo(deadLetters);
        // Whole objects, one per segment with a refused item, holding exactly the refused items, each with DynamoDB's reason.
        List<Map<String, AttributeValue>> kept = new ArrayList<>();
        List<String> objects = keys(bucket, "failed/");
        assertThat(objects).isNotEmpty().allMatch(key -> key.matches("failed/copy-[0-9a-f]{8}-segment-\\d{6}-attempt-\\d+\\.failed\\.jsonl"));
        for (String key : objects) {
            Path file = home.resolve(key.replace('/', '_'));
            Files.write(file, S3Server.client().getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray());
            kept.addAll(ItemFileReader.readAll(file));
            for (String line : Files.readAllLines(file)) {
                assertThat(JSON.readTree(line).path("Error").asText()).startsWith("ValidationException: ");
            }
        }
        assertThat(CopyFixtures.byKey(kept, List.of("pk"))).isEqualTo(new TreeMap<>(CopyFixtures.byKey(bad, List.of("pk"))));
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk"))).hasSize(195);
        assertThat(home.resolve("checkpoint")).as("every segment finished: the checkpoint is removed").doesNotExist();
    }

    @Test
    void refusesASecondJobOnACheckpointInUse_andTakesOverAnExpiredS3Lock(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String source = TestTables.table("spark-lock").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(50, 3).stream()
                .map(item -> Map.of("pk", AttributeValue.fromS(item.get("pk").s() + "#" + item.get("sk").n()))).toList());
        String target = TestTables.uniqueName("spark-lock-copy");

        // Local: another job (here, this JVM) holds the directory's lock.
        Path local = home.resolve("checkpoint");
        try (CheckpointLock held = CheckpointLock.tryAcquire(local)) {
            assertThat(held).isNotNull();
            SparkRun refused = run(copyArgs(db.env(), other.env(), source, target, "--create-table", "--checkpoint", local.toString()));
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
            assertThat(refused.err()).startsWith("dynamo: the checkpoint " + local + " is in use by another job (pid ")
                    .hasLineCount(1).doesNotContain("Exception");
        }
        assertThat(other.client().listTables().tableNames()).as("nothing was written").doesNotContain(target);

        // S3: a lock object renewed 5 s ago is another job's; one last renewed 2 minutes ago is a killed driver's.
        String bucket = S3Server.createBucket("spark-lock");
        String checkpoint = "s3://" + bucket + "/ck";
        putLock(bucket, "dynamo-spark pid 1 on elsewhere (0badc0de)", Instant.now().minusSeconds(5));
        SparkRun refused = run(copyArgs(db.env(), other.env(), source, target, "--create-table", "--checkpoint", checkpoint));
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
        assertThat(refused.err()).startsWith("dynamo: the checkpoint " + checkpoint + " is in use by another job (dynamo-spark pid 1 "
                + "on elsewhere (0badc0de), last heartbeat 5 s ago)").contains("run again in 55 s").hasLineCount(1);
        assertThat(other.client().listTables().tableNames()).doesNotContain(target);

        putLock(bucket, "dynamo-spark pid 1 on elsewhere (0badc0de)", Instant.now().minusSeconds(120));
        SparkRun taken = run(copyArgs(db.env(), other.env(), source, target, "--create-table", "--checkpoint", checkpoint));
        assertThat(taken.exitCode()).as("%s", taken).isZero();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk"));
        assertThat(keys(bucket, "ck/")).as("the checkpoint and the lock are removed").isEmpty();
    }

    private static void putLock(String bucket, String owner, Instant heartbeat) throws Exception {
        byte[] lock = JSON.writeValueAsBytes(JSON.createObjectNode().put("owner", owner).put("since", heartbeat.toString())
                .put("heartbeat", heartbeat.toString()));
        S3Server.client().putObject(request -> request.bucket(bucket).key("ck/lock.json"), RequestBody.fromBytes(lock));
    }
}
