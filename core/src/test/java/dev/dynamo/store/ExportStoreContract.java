package dev.dynamo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExportStore} promises, run against each kind (a local directory, an S3 prefix on
 * S3Proxy): an object is visible only once committed and then whole, an abort leaves nothing, a listing
 * holds every object once and sorted, and mistakes are one-line usage errors naming the location.
 */
abstract class ExportStoreContract {
    static final String DATA = "AWSDynamoDB/01700000000000-abcdef12/data/";
    static final int MIB = 1024 * 1024;

    ExportStore store;

    /** A new, empty store of the kind under test. */
    abstract ExportStore newStore() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    StoredObject write(String name, byte[] bytes) {
        try (StoredOutput output = store.create(name)) {
            output.stream().write(bytes);
            return output.commit();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    byte[] read(String name) throws IOException {
        try (InputStream in = store.open(name)) {
            return in.readAllBytes();
        }
    }

    static void assertOneLineUsage(Throwable error, String... mentions) {
        assertThat(error).isInstanceOf(DynamoException.class);
        assertThat(((DynamoException) error).exitCode()).as(error.getMessage()).isEqualTo(ExitCode.USAGE);
        assertThat(error.getMessage()).doesNotContain("\n").contains(mentions);
    }

    @Test
    void showsObjectOnlyOnceCommitted_thenReadsItBackWhole() throws Exception {
        byte[] bytes = "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n".getBytes(StandardCharsets.UTF_8);
        String name = DATA + "one.json";
        try (StoredOutput output = store.create(name)) {
            output.stream().write(bytes);
            output.stream().flush();
            assertThat(store.stat(name)).as("before commit").isEmpty();
            assertThat(store.list("")).as("before commit").isEmpty();

            StoredObject committed = output.commit();

            assertThat(committed).isEqualTo(new StoredObject(name, bytes.length, md5(bytes)));
        }
        assertThat(store.stat(name)).contains(new StoredObject(name, bytes.length, md5(bytes)));
        assertThat(store.list("")).extracting(StoredObject::name, StoredObject::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple(name, (long) bytes.length));
        assertThat(read(name)).isEqualTo(bytes);
    }

    @Test
    void storesEmptyObject_whenNothingIsWritten() throws Exception {
        StoredObject empty = write("manifest-empty.json", new byte[0]);

        assertThat(empty).isEqualTo(new StoredObject("manifest-empty.json", 0, md5(new byte[0])));
        assertThat(read("manifest-empty.json")).isEmpty();
    }

    @Test
    void replacesObject_whenItsNameIsWrittenAgain() throws Exception {
        write("manifest-summary.json", "old".getBytes(StandardCharsets.UTF_8));
        try (StoredOutput output = store.create("manifest-summary.json")) {
            output.stream().write("new, longer".getBytes(StandardCharsets.UTF_8));
            assertThat(read("manifest-summary.json")).as("the old object until the commit").asString().isEqualTo("old");
            output.commit();
        }

        assertThat(read("manifest-summary.json")).asString().isEqualTo("new, longer");
        assertThat(store.list("")).hasSize(1);
    }

    @Test
    void leavesNothing_whenAbortedOrClosedWithoutCommit() throws Exception {
        try (StoredOutput output = store.create(DATA + "aborted.json.gz")) {
            output.stream().write(bytes(1000, 1));
            output.abort();
            output.abort();
        }
        try (StoredOutput output = store.create(DATA + "closed.json.gz")) {
            output.stream().write(bytes(1000, 2));
        }

        assertThat(store.list("")).isEmpty();
        assertThat(store.stat(DATA + "aborted.json.gz")).isEmpty();
        assertThat(store.stat(DATA + "closed.json.gz")).isEmpty();
    }

    @Test
    void leavesNothing_whenMultipartObjectIsAborted() throws Exception {
        try (StoredOutput output = store.create(DATA + "big.json.gz")) {
            output.stream().write(bytes(9 * MIB, 3));
            output.abort();
        }

        assertThat(store.list("")).isEmpty();
    }

    @Test
    void commitsAfterTheStreamIsClosed_asGzipClosesIt() throws Exception {
        StoredObject committed;
        try (StoredOutput output = store.create(DATA + "items.json.gz")) {
            try (OutputStream gzip = new GZIPOutputStream(output.stream())) {
                gzip.write("line\n".getBytes(StandardCharsets.UTF_8));
            }
            committed = output.commit();
        }

        assertThat(committed.size()).isPositive();
        try (InputStream in = new GZIPInputStream(store.open(DATA + "items.json.gz"))) {
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("line\n");
        }
    }

    @Test
    void readsBackByteIdentical_whenObjectIsLargerThanOnePart() throws Exception {
        byte[] bytes = bytes(20 * MIB, 4);
        StoredObject committed;
        try (StoredOutput output = store.create(DATA + "large.json.gz")) {
            // In uneven pieces, as a gzip stream writes.
            for (int offset = 0; offset < bytes.length; offset += 777_777) {
                output.stream().write(bytes, offset, Math.min(777_777, bytes.length - offset));
            }
            committed = output.commit();
        }

        assertThat(committed.size()).isEqualTo(bytes.length);
        assertThat(store.stat(DATA + "large.json.gz")).get().extracting(StoredObject::size).isEqualTo((long) bytes.length);
        assertThat(md5(read(DATA + "large.json.gz"))).as("read back").isEqualTo(md5(bytes));
        assertLargeObjectEtag(committed, bytes);
    }

    /** The ETag of a 20 MiB object: the MD5 locally, {@code ...-3} on S3. */
    abstract void assertLargeObjectEtag(StoredObject committed, byte[] bytes) throws Exception;

    @Test
    void listsEveryObjectUnderThePrefix_sortedByName() {
        for (String name : List.of(DATA + "b.json.gz", DATA + "a.json.gz", "AWSDynamoDB/01700000000000-abcdef12/manifest-files.json",
                "AWSDynamoDB/01700000000000-abcdef12/manifest-summary.json", "AWSDynamoDB/other/data/c.json.gz", "top.json")) {
            write(name, name.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(store.list(DATA)).extracting(StoredObject::name).containsExactly(DATA + "a.json.gz", DATA + "b.json.gz");
        assertThat(store.list("AWSDynamoDB/01700000000000-abcdef12/manifest-")).extracting(StoredObject::name).containsExactly(
                "AWSDynamoDB/01700000000000-abcdef12/manifest-files.json", "AWSDynamoDB/01700000000000-abcdef12/manifest-summary.json");
        assertThat(store.list("")).extracting(StoredObject::name).containsExactly(
                "AWSDynamoDB/01700000000000-abcdef12/data/a.json.gz", "AWSDynamoDB/01700000000000-abcdef12/data/b.json.gz",
                "AWSDynamoDB/01700000000000-abcdef12/manifest-files.json", "AWSDynamoDB/01700000000000-abcdef12/manifest-summary.json",
                "AWSDynamoDB/other/data/c.json.gz", "top.json");
        assertThat(store.list("AWSDynamoDB/nothing/")).isEmpty();
        assertThat(store.list("AWSDynamoDB/01700000000000-abcdef12/data/b")).extracting(StoredObject::size)
                .containsExactly((long) (DATA + "b.json.gz").length());
    }

    @Test
    void deletesObject_andDeletingAMissingOneIsNoError() throws Exception {
        write("manifest-files.json", "x".getBytes(StandardCharsets.UTF_8));

        store.delete("manifest-files.json");
        store.delete("manifest-files.json");
        store.delete("never/was.json");

        assertThat(store.stat("manifest-files.json")).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void writesDifferentObjectsAtOnce_fromSeveralThreads() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<StoredObject>> written = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = DATA + "part-" + (char) ('a' + i) + ".json.gz";
                byte[] bytes = bytes(10_000 + i, i);
                written.add(workers.submit(() -> write(name, bytes)));
            }
            for (Future<StoredObject> future : written) {
                future.get();
            }
        } finally {
            workers.shutdownNow();
        }

        List<StoredObject> listed = store.list(DATA);
        assertThat(listed).hasSize(16);
        for (int i = 0; i < 16; i++) {
            assertThat(listed.get(i).size()).isEqualTo(10_000 + i);
            assertThat(read(listed.get(i).name())).isEqualTo(bytes(10_000 + i, i));
        }
    }

    @Test
    void refusesToOpenMissingObject_withOneLineUsageErrorNamingIt() {
        assertThatThrownBy(() -> store.open(DATA + "missing.json.gz"))
                .satisfies(error -> assertOneLineUsage(error, store.locationOf(DATA + "missing.json.gz")));
        assertThat(store.stat(DATA + "missing.json.gz")).isEmpty();
    }

    @Test
    void refusesNamesThatCouldLeaveTheRoot() {
        for (String name : List.of("../outside.json", "a/../../b", "/abs.json", "a//b", "a/./b", "", "dir/")) {
            assertThatThrownBy(() -> store.create(name)).as(name).satisfies(error -> assertOneLineUsage(error, "object name"));
            assertThatThrownBy(() -> store.open(name)).as(name).satisfies(error -> assertOneLineUsage(error, "object name"));
        }
        assertThatThrownBy(() -> store.list("../")).satisfies(error -> assertOneLineUsage(error, "object name"));
    }

    @Test
    void refusesWritesAfterCommit() {
        StoredOutput output = store.create("manifest-summary.json");
        output.commit();

        assertThatThrownBy(() -> output.stream().write(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(output::commit).isInstanceOf(IllegalStateException.class);
        output.close();
        assertThat(store.stat("manifest-summary.json")).isPresent();
    }
}
