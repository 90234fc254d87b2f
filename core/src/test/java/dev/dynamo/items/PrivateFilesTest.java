package dev.dynamo.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.copy.TableBackup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Files that hold table data are the owner's alone (0600 files, 0700 new directories, whatever the
 * umask) and are never written through a link someone planted at their path; dead-letter lines are
 * whole or absent, even after a full disk or a crash mid-line.
 */
class PrivateFilesTest {
    private static final Map<String, AttributeValue> ITEM = Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1"));

    @TempDir
    Path dir;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    /** A file of someone else's, and a link to it planted where dynamo will write. */
    private Path plantLink(Path at) throws IOException {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious\n");
        Files.createDirectories(at.getParent());
        Files.createSymbolicLink(at, victim);
        return victim;
    }

    @Test
    void createsNewDirectoriesForTheOwnerOnly_andLeavesExistingOnesAlone() throws IOException {
        Path existing = Files.createDirectory(dir.resolve("mine"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        PrivateFiles.createDirectories(existing.resolve("a/b"));
        assertThat(permissions(existing.resolve("a"))).isEqualTo("rwx------");
        assertThat(permissions(existing.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(permissions(existing)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void writesDeadLettersToAPrivateFile_inANewPrivateDirectory() throws IOException {
        Path file = dir.resolve("failed/orders.failed.jsonl");
        try (DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"))) {
            deadLetters.append(DeadLetterFile.Operation.PUT, ITEM, "ValidationException: no");
        }
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(file.getParent())).isEqualTo("rwx------");
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}},\"Operation\":\"PUT\",\"Error\":\"ValidationException: no\"}");
    }

    @Test
    void refusesToAppendDeadLettersThroughALink() throws IOException {
        Path file = dir.resolve("failed.jsonl");
        Path victim = plantLink(file);
        DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"));

        assertThatThrownBy(() -> deadLetters.append(DeadLetterFile.Operation.PUT, ITEM, "x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("symbolic link");
        deadLetters.close();
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void cutsOffALineThatACrashLeftHalfWritten_beforeAppending() throws IOException {
        Path file = dir.resolve("failed.jsonl");
        String whole = "{\"Item\":{\"pk\":{\"S\":\"x\"}},\"Operation\":\"PUT\",\"Error\":\"e\"}\n";
        Files.writeString(file, whole + "{\"Item\":{\"pk\":{\"S\":\"cu", StandardCharsets.UTF_8);
        try (DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"))) {
            deadLetters.append(DeadLetterFile.Operation.DELETE, Map.of("pk", AttributeValue.fromS("b")), "e2");
        }
        assertThat(Files.readString(file)).isEqualTo(whole + "{\"Key\":{\"pk\":{\"S\":\"b\"}},\"Operation\":\"DELETE\",\"Error\":\"e2\"}\n");
    }

    @Test
    void reportsTheWriteErrorItself_whenTheDiskIsFull() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "no /dev/full on this system");
        DeadLetterFile deadLetters = new DeadLetterFile(full, List.of("pk"));
        assertThatThrownBy(() -> deadLetters.append(DeadLetterFile.Operation.PUT, ITEM, "x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot append to the dead-letter file /dev/full: ").hasMessageContaining("No space left on device");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void writesBackupsToPrivateFiles_andNeverThroughALinkAtTheirPartialPath() throws IOException {
        Path backup = dir.resolve("backups/Orders-20260101-000000.jsonl.gz");
        PrivateFiles.createDirectories(backup.getParent());
        try (ItemFileWriter writer = ItemFileWriter.create(backup, List.of("pk"))) {
            writer.write(ITEM);
            writer.commit();
        }
        assertThat(permissions(backup)).isEqualTo("rw-------");
        assertThat(ItemFileReader.readAll(backup)).containsExactly(ITEM);

        Path other = dir.resolve("backups/Other-20260101-000000.jsonl.gz");
        Path victim = plantLink(other.resolveSibling(other.getFileName() + ItemFileWriter.PARTIAL_SUFFIX));
        assertThatThrownBy(() -> ItemFileWriter.create(other, List.of("pk"))).isInstanceOf(UncheckedIOException.class);
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void locksWithAPrivateFile_andRefusesALinkAtTheLocksPath() throws IOException {
        Path checkpoint = dir.resolve("checkpoints/copy.json");
        try (CheckpointLock lock = CheckpointLock.tryAcquire(checkpoint)) {
            assertThat(lock).isNotNull();
            assertThat(permissions(CheckpointLock.fileOf(checkpoint))).isEqualTo("rw-------");
            assertThat(permissions(checkpoint.getParent())).isEqualTo("rwx------");
        }

        Path other = dir.resolve("checkpoints/other.json");
        Path victim = plantLink(CheckpointLock.fileOf(other));
        assertThatThrownBy(() -> CheckpointLock.tryAcquire(other)).isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void writesCheckpointsAsPrivateFiles_andShortensLongTableNamesInFileNames() {
        String longName = "t".repeat(255);
        assertThat(CopyCheckpoint.shortened(longName)).hasSize(80 + 1 + 8).startsWith("t".repeat(80) + "~");
        assertThat(CopyCheckpoint.shortened(longName)).isNotEqualTo(CopyCheckpoint.shortened("t".repeat(254) + "u"));
        assertThat(CopyCheckpoint.shortened("Orders")).isEqualTo("Orders");
        Path file = TableBackup.newFile(dir.resolve("b"), longName, java.time.LocalDateTime.of(2026, 1, 1, 0, 0));
        assertThat(file.getFileName().toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(255);
    }
}
