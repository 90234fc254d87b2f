package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.verify.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The key files and the key filter of a copy by difference. */
class KeyFileTest {
    private static final KeySchema KEYS = new KeySchema(new KeyAttribute("pk", KeyType.S), new KeyAttribute("sk", KeyType.N));

    @TempDir
    Path directory;

    private static Map<String, AttributeValue> key(int i) {
        return Map.of("pk", AttributeValue.fromS("customer#" + i + (i % 7 == 0 ? " ☃ \"quoted\"" : "")),
                "sk", AttributeValue.fromN(i % 3 == 0 ? "-" + i + ".5" : String.valueOf(i)));
    }

    @Test
    void chunksReadBack_everyKeyInOrder_andTheFileIsPrivate() throws IOException {
        Path file = directory.resolve("write-keys");
        int count = 1_234;
        try (KeyFile.Writer writer = new KeyFile.Writer(file)) {
            for (int i = 0; i < count; i++) {
                byte[] encoded = TableComparison.encodeKey(KEYS, key(i));
                writer.append(encoded, 0, encoded.length);
            }
            assertThat(writer.count()).isEqualTo(count);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        long[] offsets = KeyFile.chunkOffsets(file, count, 100);
        assertThat(offsets).hasSize(13).startsWith(0L);
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        for (int chunk = 0; chunk < offsets.length; chunk++) {
            all.addAll(KeyFile.readChunk(file, offsets[chunk], Math.min(100, count - chunk * 100L), KEYS));
        }
        assertThat(all).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(all.get(i)).as("key %d", i).isEqualTo(key(i));
        }
        assertThatThrownBy(() -> KeyFile.chunkOffsets(file, count + 1, 100)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds fewer than the 1235 keys the checkpoint counts");
    }

    @Test
    void check_refusesAFileThatIsNotTheOneWritten_byteForByte() throws IOException {
        Path file = directory.resolve("delete-keys");
        String sha256;
        try (KeyFile.Writer writer = new KeyFile.Writer(file)) {
            for (int i = 0; i < 300; i++) {
                byte[] encoded = TableComparison.encodeKey(KEYS, key(i));
                writer.append(encoded, 0, encoded.length);
            }
            writer.close();
            sha256 = writer.sha256Hex();
        }
        KeyFile.check(file, 300, sha256);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> KeyFile.check(file, 300, sha256)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not the one the comparison wrote (SHA-256 ");
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> KeyFile.check(file, 301, sha256)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds fewer than the 301 keys");
        assertThatThrownBy(() -> KeyFile.check(file, 299, sha256)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds more than the 299 keys");
    }

    @Test
    void aBinaryKey_roundTrips() throws IOException {
        KeySchema binary = new KeySchema(new KeyAttribute("id", KeyType.B), null);
        Path file = directory.resolve("delete-keys");
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 7})));
        try (KeyFile.Writer writer = new KeyFile.Writer(file)) {
            byte[] encoded = TableComparison.encodeKey(binary, key);
            writer.append(encoded, 0, encoded.length);
        }
        assertThat(KeyFile.readChunk(file, 0, 1, binary)).containsExactly(key);
    }

    @Test
    void theFilter_neverMissesAnAddedKey_andLetsFewOthersThrough() {
        int added = 50_000;
        KeyFilter filter = new KeyFilter(added);
        for (int i = 0; i < added; i++) {
            byte[] encoded = TableComparison.encodeKey(KEYS, key(i));
            filter.add(encoded, encoded.length);
        }
        for (int i = 0; i < added; i++) {
            assertThat(filter.mightContain(TableComparison.encodeKey(KEYS, key(i)))).as("added key %d", i).isTrue();
        }
        int passed = 0;
        int others = 100_000;
        for (int i = added; i < added + others; i++) {
            if (filter.mightContain(TableComparison.encodeKey(KEYS, key(i)))) {
                passed++;
            }
        }
        // Ten bits and seven hashes per key: about 0.8% of the keys not added pass (written again, unchanged).
        assertThat(passed).as("keys not added that pass").isLessThan(others * 2 / 100);
    }
}
