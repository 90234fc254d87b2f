package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.query.SortKeyCondition;
import dev.dynamo.query.WhereCondition;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The checkpoint file: its JSON round trip, atomic replacement, refusals of corrupt files, and identity differences. */
class CopyCheckpointTest {
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path directory;

    private static Environment prod() {
        return new Environment("prod", "prod", Region.EU_WEST_1, null,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", SECRET_KEY)));
    }

    private static Environment local() {
        return new Environment("http://user:password@localhost:8000", null, Region.US_EAST_1,
                URI.create("http://user:password@localhost:8000"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    private static CopyIdentity identity(int segments) {
        return CopyIdentity.of(prod(), local(), CopyPlan.builder("Orders").targetTable("Orders-copy").build(), segments);
    }

    private static CopyCheckpoint checkpoint() {
        List<SegmentAcks.Checkpoint> segments = List.of(
                new SegmentAcks.Checkpoint(0, 3, 2_500, Map.of("pk", AttributeValue.fromS("customer#7 \"quoted\" ☃"),
                        "sk", AttributeValue.fromN("-12.50")), false),
                new SegmentAcks.Checkpoint(1, 5, 4_000, null, true),
                new SegmentAcks.Checkpoint(2, 0, 0, null, false),
                new SegmentAcks.Checkpoint(3, 1, 1_000, Map.of("pk", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 7}))),
                        false));
        return new CopyCheckpoint(identity(4), CopyCheckpoint.Stage.COPY, Instant.parse("2025-06-01T10:00:00Z"),
                Instant.parse("2025-06-01T10:03:12.500Z"), BackupResult.file(Path.of("/backups/Orders-20250601-120000.jsonl.gz"), 31),
                Path.of("/backups/Orders-20250601-120000.failed.jsonl"), 2, null, segments);
    }

    @Test
    void roundTrip_keepsEveryField_andKeyOfEveryKeyType() {
        CopyCheckpoint written = checkpoint();
        Path file = directory.resolve("checkpoint.json");
        written.write(file);

        CopyCheckpoint read = CopyCheckpoint.read(file);

        assertThat(read).isEqualTo(written);
        assertThat(read.copiedItems()).isEqualTo(7_500);
        assertThat(read.finishedSegments()).isEqualTo(1);
        CopyCheckpoint aws = new CopyCheckpoint(identity(1), CopyCheckpoint.Stage.DELETE, Instant.EPOCH, Instant.EPOCH,
                BackupResult.aws("Orders-dynamo-20250601-120000", "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders/backup/1"),
                null, 0, new CopyCheckpoint.Difference(Path.of("/home/me/.dynamo/checkpoints/Orders.keys"), 300, 250, 19_450, false, 100,
                        "ab".repeat(32), "cd".repeat(32)),
                List.of(new SegmentAcks.Checkpoint(0, 1, 100, null, true), SegmentAcks.Checkpoint.start(1),
                        SegmentAcks.Checkpoint.start(2)));
        assertThat(CopyCheckpoint.parse(aws.toJson(), file)).isEqualTo(aws);
        assertThat(aws.difference().chunks(aws.difference().toDelete())).as("chunks of 100 keys to delete").isEqualTo(3);
    }

    @Test
    void json_namesTablesEnvironmentsAndPositions_butNoCredentialOrUserInfo() {
        String json = checkpoint().toJson();

        assertThat(json).contains("\"format\" : \"dynamo-copy-checkpoint\"", "\"version\" : 3", "\"stage\" : \"copy\"",
                "\"environment\" : \"prod\"", "\"environment\" : \"http://localhost:8000\"", "\"profile\" : \"prod\"",
                "\"region\" : \"eu-west-1\"",
                "\"endpoint\" : \"http://localhost:8000\"", "\"table\" : \"Orders-copy\"", "\"mode\" : \"replace\"",
                "\"copiedItems\" : 7500", "\"resumeKey\" : {", "\"N\" : \"-12.50\"", "\"B\" : \"AP8H\"");
        assertThat(json).doesNotContain("AKIAIOSFODNN7EXAMPLE", SECRET_KEY, "password", "user:");
    }

    @Test
    void write_replacesTheFileAtomically_soAReaderNeverSeesAPartOfOne() throws Exception {
        Path file = directory.resolve("nested/dir/checkpoint.json");
        CopyCheckpoint small = new CopyCheckpoint(identity(4), CopyCheckpoint.Stage.START, Instant.EPOCH, Instant.EPOCH, null, null, 0, null,
                List.of());
        small.write(file);
        List<SegmentAcks.Checkpoint> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new SegmentAcks.Checkpoint(i, i, i * 10L, Map.of("pk", AttributeValue.fromS("key-" + i)), false));
        }
        CopyCheckpoint large = new CopyCheckpoint(CopyIdentity.of(prod(), local(), CopyPlan.builder("Orders").build(), 1000),
                CopyCheckpoint.Stage.COPY, Instant.EPOCH, Instant.EPOCH, null, null, 0, null, many);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                try {
                    CopyCheckpoint seen = CopyCheckpoint.read(file);
                    assertThat(seen).isIn(small, large);
                    reads.incrementAndGet();
                } catch (Throwable t) {
                    readFailure.compareAndSet(null, t);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? large : small).write(file);
        }
        writing.set(false);
        reader.join();

        assertThat(readFailure.get()).as("a read while the file was being replaced").isNull();
        assertThat(reads.get()).isPositive();
        assertThat(CopyCheckpoint.read(file)).isEqualTo(small);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file is left").containsExactly("checkpoint.json");
        }
    }

    @Test
    void removeLeftovers_deletesOnlyThisCheckpointsTemporaryFiles() throws IOException {
        Path file = directory.resolve("c.json");
        Path leftover = Files.writeString(directory.resolve(".c.json.123456.tmp"), "{");
        Path other = Files.writeString(directory.resolve(".d.json.123456.tmp"), "{");
        checkpoint().write(file);

        CopyCheckpoint.removeLeftovers(file);

        assertThat(leftover).doesNotExist();
        assertThat(other).exists();
        assertThat(file).exists();
    }

    @Test
    void write_failsWithAOneLineReason_whenTheDirectoryCannotBeMade() throws IOException {
        Path blocker = Files.writeString(directory.resolve("a-file"), "x");

        assertThatThrownBy(() -> checkpoint().write(blocker.resolve("checkpoint.json")))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot write the checkpoint " + blocker.resolve("checkpoint.json") + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void read_refusesAMissingFile_withWhatToDo() {
        Path file = directory.resolve("none.json");

        assertThatThrownBy(() -> CopyCheckpoint.read(file)).isInstanceOfSatisfying(DynamoException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).isEqualTo("there is no checkpoint " + file + " to resume (a copy deletes its checkpoint when "
                    + "it finishes); run the copy without --resume to start it, or name its checkpoint with --checkpoint FILE");
        });
    }

    @Test
    void read_refusesCorruptFiles_sayingWhatIsWrong() throws IOException {
        String good = checkpoint().toJson();
        Map<String, String> corrupt = Map.ofEntries(
                Map.entry(good.substring(0, good.length() / 2), "it is not valid JSON ("),
                Map.entry("[1, 2]", "it is not a JSON object"),
                Map.entry(good.replace("dynamo-copy-checkpoint", "something-else"), "it is not a dynamo copy checkpoint"),
                Map.entry(good.replace("\"version\" : 3", "\"version\" : 4"), "it is of format version 4, this dynamo reads version 3"),
                Map.entry(good.replace("\"version\" : 3", "\"version\" : 2"), "it was written by an earlier dynamo (format version 2), "
                        + "whose replace emptied the target before writing; this version copies by difference and cannot continue "
                        + "that copy"),
                Map.entry(good.replace("\"stage\" : \"copy\"", "\"stage\" : \"delete\""), "stage delete without the difference"),
                Map.entry(good.replace("\"finishedSegments\" : \"1\"", "\"finishedSegments\" : \"1-9\""), "'1-9', not a range of the copy's 4"),
                Map.entry(good.replace("\"finishedSegments\" : \"1\"", "\"finishedSegments\" : \"0\""), "segment 0 is listed twice, or both"),
                Map.entry(good.replace("\"finishedSegments\" : \"1\"", "\"finishedSegments\" : \"x\""), "has 'x', not a segment or a range"),
                Map.entry(good.replace("\"stage\" : \"copy\"", "\"stage\" : \"copying\""), "unknown stage 'copying'"),
                Map.entry(good.replace("\"mode\" : \"replace\"", "\"mode\" : \"swap\""), "unknown mode 'swap'"),
                Map.entry(good.replace("\"N\" : \"-12.50\"", "\"N\" : \"twelve\""), "resumeKey.sk: 'twelve' is not a number"),
                Map.entry(good.replace("\"N\" : \"-12.50\"", "\"SS\" : \"x\""), "resumeKey.sk: expected an array"),
                Map.entry(good.replace("\"N\" : \"-12.50\"", "\"SS\" : [\"x\"]"), "resume key attribute 'sk' has type SS; keys are S, N or B"),
                Map.entry(good.replace("\"pages\" : 3", "\"pages\" : -3"), "the field \"pages\" is not a count"),
                Map.entry(good.replace("\"startedAt\" : \"2025-06-01T10:00:00Z\",", ""), "the field \"startedAt\" is missing"));
        int n = 0;
        for (Map.Entry<String, String> entry : corrupt.entrySet()) {
            Path file = Files.writeString(directory.resolve("corrupt-" + n++ + ".json"), entry.getKey(), StandardCharsets.UTF_8);
            assertThatThrownBy(() -> CopyCheckpoint.read(file)).as(entry.getValue())
                    .isInstanceOfSatisfying(DynamoException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).startsWith("cannot resume from the checkpoint " + file + ": ")
                                .contains(entry.getValue())
                                .endsWith("; run the copy without --resume to start it over")
                                .doesNotContain("\n");
                    });
        }
    }

    @Test
    void positionsAreCompact_soACopyOfManySegmentsSavesASmallFile() {
        int count = 100_000;
        List<SegmentAcks.Checkpoint> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Finished up to 60,000 but 123, which is under way with 60,000 to 60,007; the rest not started.
            segments.add(i < 60_000 && i != 123 ? new SegmentAcks.Checkpoint(i, 2, 150, null, true)
                    : i < 60_008 ? new SegmentAcks.Checkpoint(i, 1, 75, Map.of("pk", AttributeValue.fromS("key-" + i)), false)
                    : SegmentAcks.Checkpoint.start(i));
        }
        CopyCheckpoint written = new CopyCheckpoint(CopyIdentity.of(prod(), local(), CopyPlan.builder("Orders").build(), count),
                CopyCheckpoint.Stage.COPY, Instant.EPOCH, Instant.EPOCH, null, null, 0, null, segments);

        String json = written.toJson();
        CopyCheckpoint read = CopyCheckpoint.parse(json, directory.resolve("many.json"));

        assertThat(json.length()).as(json).isLessThan(3_000);
        assertThat(json).contains("\"finishedSegments\" : \"0-122,124-59999\"", "\"finishedItems\" : 8999850");
        assertThat(read.copiedItems()).isEqualTo(written.copiedItems()).isEqualTo(59_999 * 150L + 9 * 75L);
        assertThat(read.finishedSegments()).isEqualTo(59_999);
        for (int i : new int[] {0, 122, 123, 124, 59_999, 60_000, 60_007, 60_008, 99_999}) {
            SegmentAcks.Checkpoint before = written.segments().get(i);
            SegmentAcks.Checkpoint after = read.segments().get(i);
            assertThat(after.finished()).as("segment %d", i).isEqualTo(before.finished());
            assertThat(after.resumeKey()).as("segment %d", i).isEqualTo(before.resumeKey());
            if (!before.finished()) {
                assertThat(after).isEqualTo(before);
            }
        }
    }

    @Test
    void differences_nameEachFieldThatDiffers_withBothValues() {
        CopyIdentity saved = identity(4);
        CopyPlan other = CopyPlan.builder("Orders").targetTable("Orders-copy").mode(CopyMode.MERGE).pageSize(500)
                .selection(QuerySpec.builder().table("Orders").index("byStatus").partitionValue("open")
                        .sortKey(SortKeyCondition.between("2024-01", "2024-12"))
                        .where(List.of(WhereCondition.parse("total >= 100"), WhereCondition.parse("note = 'say \"hi\"'"))).build())
                .build();
        Environment dev = new Environment("dev", "dev", Region.EU_WEST_1, null, prod().credentials());

        List<String> differences = saved.differences(CopyIdentity.of(dev, local(), other, 1));

        assertThat(differences).containsExactly(
                "source environment: prod in the checkpoint, dev now",
                "source profile: prod in the checkpoint, dev now",
                "mode: replace in the checkpoint, merge now",
                "selection: the whole table in the checkpoint, -i byStatus --pk open --sk-between 2024-01 2024-12 "
                        + "--where total >= 100 --where note = \"say \\\"hi\\\"\" now",
                "segments: 4 in the checkpoint, 1 now",
                "page size: 1000 in the checkpoint, 500 now");
        assertThat(saved.differences(identity(4))).isEmpty();
    }

    @Test
    void defaultFile_isUnderHome_namedAfterBothTables_andDiffersByEnvironment() {
        Path home = Path.of("/home/me");
        CopyPlan plan = CopyPlan.builder("Orders").targetTable("Orders-copy").build();

        Path file = CopyCheckpoint.defaultFile(home, prod(), local(), plan);

        assertThat(file.getParent()).isEqualTo(home.resolve(".dynamo/checkpoints"));
        assertThat(file.getFileName().toString()).matches("Orders-to-Orders-copy-[0-9a-f]{10}\\.json");
        assertThat(CopyCheckpoint.defaultFile(home, prod(), local(), plan)).isEqualTo(file);
        assertThat(CopyCheckpoint.defaultFile(home, local(), prod(), plan)).isNotEqualTo(file);
        String longName = "t".repeat(255);
        assertThat(CopyCheckpoint.defaultFile(home, prod(), local(), CopyPlan.builder(longName).build()).getFileName().toString())
                .hasSizeLessThan(200);
    }
}
