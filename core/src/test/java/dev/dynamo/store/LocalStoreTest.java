package dev.dynamo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The {@link ExportStore} contract on a local directory, and what only files have: permissions and links. */
class LocalStoreTest extends ExportStoreContract {
    @TempDir
    Path dir;

    Path root;

    @Override
    ExportStore newStore() {
        root = dir.resolve("exports/orders");
        Environment env = new Environment("dev", null, Region.US_EAST_1, null, AnonymousCredentialsProvider.create());
        return ExportStore.open(root.toString(), env, S3Settings.none());
    }

    @Override
    void assertLargeObjectEtag(StoredObject committed, byte[] bytes) throws Exception {
        assertThat(committed.etag()).isEqualTo(md5(bytes));
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void describesItselfByAbsolutePath() {
        assertThat(store.describe()).isEqualTo(root.toAbsolutePath().toString());
        assertThat(store.locationOf("AWSDynamoDB/x/manifest-summary.json"))
                .isEqualTo(root.resolve("AWSDynamoDB/x/manifest-summary.json").toAbsolutePath().toString());
    }

    @Test
    void makesFilesOwnerOnly_andDirectoriesToo() throws IOException {
        assumeTrue(posix(dir));

        write(DATA + "one.json.gz", new byte[] {1, 2, 3});

        assertThat(permissions(root.resolve(DATA + "one.json.gz"))).isEqualTo("rw-------");
        for (Path directory = root.resolve(DATA); !directory.equals(dir); directory = directory.getParent()) {
            assertThat(permissions(directory)).as(directory.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void refusesSymbolicLinkAtTheTarget_andWritesNothingThroughIt() throws IOException {
        Path victim = Files.writeString(dir.resolve("someone-elses.txt"), "theirs");
        Files.createDirectories(root);
        Files.createSymbolicLink(root.resolve("manifest-summary.json"), victim);

        assertThatThrownBy(() -> write("manifest-summary.json", "ours".getBytes(StandardCharsets.UTF_8)))
                .satisfies(error -> assertOneLineUsage(error, root.resolve("manifest-summary.json").toString(), "symbolic link"));
        assertThatThrownBy(() -> store.open("manifest-summary.json")).satisfies(error -> assertOneLineUsage(error, "symbolic link"));
        assertThatThrownBy(() -> store.list("")).satisfies(error -> assertOneLineUsage(error, "symbolic link"));

        assertThat(Files.readString(victim)).isEqualTo("theirs");
        assertThat(Files.isSymbolicLink(root.resolve("manifest-summary.json"))).isTrue();
    }

    @Test
    void refusesLinkedDirectory_andWritesNothingInIt() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(root.resolve("AWSDynamoDB"));
        Files.createSymbolicLink(root.resolve("AWSDynamoDB/0170"), elsewhere);

        assertThatThrownBy(() -> store.create("AWSDynamoDB/0170/data/one.json.gz"))
                .satisfies(error -> assertOneLineUsage(error, root.resolve("AWSDynamoDB/0170").toString(), "symbolic link"));
        assertThatThrownBy(() -> store.list("AWSDynamoDB/0170/")).satisfies(error -> assertOneLineUsage(error, "symbolic link"));
        assertThatThrownBy(() -> store.delete("AWSDynamoDB/0170/x")).satisfies(error -> assertOneLineUsage(error, "symbolic link"));

        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void replacesTemporaryLeftByAKilledRun_andNeverListsIt() throws IOException {
        Files.createDirectories(root.resolve(DATA));
        Files.writeString(root.resolve(DATA + ".one.json.gz.partial"), "half of an old write");

        assertThat(store.list("")).as("a temporary is no object").isEmpty();
        write(DATA + "one.json.gz", "whole".getBytes(StandardCharsets.UTF_8));

        assertThat(store.list("")).extracting(StoredObject::name).containsExactly(DATA + "one.json.gz");
        assertThat(root.resolve(DATA + ".one.json.gz.partial")).doesNotExist();
        assertThat(Files.readString(root.resolve(DATA + "one.json.gz"))).isEqualTo("whole");
    }

    @Test
    void writesBesideTheTarget_underAHiddenTemporaryName() throws IOException {
        try (StoredOutput output = store.create("manifest-files.json")) {
            output.stream().write('x');
            output.stream().flush();
            assertThat(root.resolve(".manifest-files.json.partial")).exists();
            assertThat(root.resolve("manifest-files.json")).doesNotExist();
            output.commit();
        }

        assertThat(root.resolve(".manifest-files.json.partial")).doesNotExist();
        assertThat(root.resolve("manifest-files.json")).hasContent("x");
    }

    @Test
    void listsNothing_whenTheDirectoryDoesNotExistYet() {
        assertThat(store.list("")).isEmpty();
        assertThat(store.stat("manifest-summary.json")).isEmpty();
        assertThat(root).doesNotExist();
    }

    @Test
    void refusesDirectoryAtTheTarget() throws IOException {
        Files.createDirectories(root.resolve("manifest-summary.json"));

        assertThatThrownBy(() -> store.create("manifest-summary.json")).satisfies(error -> assertOneLineUsage(error, "is a directory"));
    }

    @Test
    void refusesOtherUrlSchemes_asUsageErrors() {
        Environment env = new Environment("dev", null, Region.US_EAST_1, null, AnonymousCredentialsProvider.create());
        for (String location : new String[] {"https://bucket.s3.amazonaws.com/x", "s3:/bucket/x", "gs://bucket", " "}) {
            assertThatThrownBy(() -> ExportStore.open(location, env, S3Settings.none())).as(location)
                    .isInstanceOfSatisfying(DynamoException.class, error -> assertThat(error.exitCode()).isEqualTo(ExitCode.USAGE));
        }
    }
}
