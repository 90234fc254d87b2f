package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.DynamoProcess;
import dev.dynamo.testing.LocalDynamoDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the stop-and-resume tests of export and import check: an export folder's completeness, a job's checkpoint as it
 * changes, the command a stopped run prints, and a table's items against what was written.
 */
final class ExportFolders {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> KEYS = List.of("pk", "sk");

    private ExportFolders() {
    }

    /** The one export under {@code destination}: {@code destination/AWSDynamoDB/ID}. */
    static Path exportFolder(Path destination) throws IOException {
        try (Stream<Path> listing = Files.list(destination.resolve("AWSDynamoDB"))) {
            List<Path> folders = listing.filter(Files::isDirectory).toList();
            assertThat(folders).as("export folders under %s", destination).hasSize(1);
            return folders.get(0);
        }
    }

    /** A stopped export: started, no manifest, its checkpoint kept, every file it lists there and whole. */
    static void assertStoppedExport(Path folder, Path checkpoint) throws Exception {
        assertThat(folder.resolve("_started")).exists();
        assertThat(folder.resolve("manifest-summary.json")).as("the summary of a stopped export").doesNotExist();
        assertThat(folder.resolve("manifest-files.json")).as("the file list of a stopped export").doesNotExist();
        assertThat(checkpoint).as("the checkpoint of a stopped export").exists();
        JsonNode saved = JSON.readTree(checkpoint.toFile());
        for (JsonNode file : saved.path("files")) {
            Path data = folder.resolve(file.get("name").asText());
            assertThat(data).as("a file the checkpoint lists").exists();
            assertThat(md5(data)).as("MD5 of %s", data).isEqualTo(file.get("md5Checksum").asText());
        }
    }

    /**
     * A finished export: the summary, every data file listed once in manifest-files.json, their item counts (and the
     * summary's) adding up to {@code items}, each file's MD5 and line count as listed, and no other file in data/ but
     * temporaries named ".*".
     *
     * @return the number of data files
     */
    static int assertCompleteExport(Path folder, long items) throws Exception {
        JsonNode summary = JSON.readTree(folder.resolve("manifest-summary.json").toFile());
        assertThat(summary.path("itemCount").asLong()).as("the summary's itemCount").isEqualTo(items);
        List<String> listed = new ArrayList<>();
        long counted = 0;
        String prefix = folder.getParent().getFileName() + "/" + folder.getFileName() + "/";
        for (String line : Files.readAllLines(folder.resolve("manifest-files.json"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode file = JSON.readTree(line);
            String key = file.get("dataFileS3Key").asText();
            assertThat(key).as("a data file's key").startsWith(prefix + "data/");
            String name = key.substring(prefix.length());
            listed.add(name);
            counted += file.get("itemCount").asLong();
            Path data = folder.resolve(name);
            assertThat(data).as("a listed data file").exists();
            assertThat(md5(data)).as("MD5 of %s", data).isEqualTo(file.get("md5Checksum").asText());
            assertThat(linesOf(data)).as("lines of %s", data).isEqualTo(file.get("itemCount").asLong());
        }
        assertThat(listed).as("data files in the manifest").doesNotHaveDuplicates();
        assertThat(counted).as("the sum of the manifest's itemCounts").isEqualTo(items);
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder.resolve("data"))) {
            files.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith("."))
                    .forEach(name -> present.add("data/" + name));
        }
        assertThat(present).as("the data files in data/ (temporaries named .* aside)").isEqualTo(new TreeSet<>(listed));
        return listed.size();
    }

    static long linesOf(Path gzipped) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
            long lines = 0;
            for (byte b : in.readAllBytes()) {
                if (b == '\n') {
                    lines++;
                }
            }
            return lines;
        }
    }

    static String md5(Path file) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    /** Waits for the job's default checkpoint, {@code HOME/.dynamo/checkpoints/PREFIX*.json}, to appear. */
    static Path awaitCheckpoint(Path home, String prefix, DynamoProcess run, Duration timeout) throws Exception {
        Path directory = home.resolve(".dynamo").resolve("checkpoints");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> listing = Files.list(directory)) {
                    List<Path> found = listing.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(".json")).toList();
                    if (!found.isEmpty()) {
                        assertThat(found).hasSize(1);
                        return found.get(0);
                    }
                }
            }
            assertThat(run.process().isAlive()).as("the run ended before its checkpoint appeared: %s", run).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint " + prefix + "* within " + timeout + run);
    }

    /** Reads the checkpoint until it satisfies {@code condition}; fails when the run ends first. */
    static JsonNode awaitCheckpoint(Path checkpoint, Predicate<JsonNode> condition, DynamoProcess run, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode now = JSON.readTree(checkpoint.toFile());
                last = now;
                if (condition.test(now)) {
                    return now;
                }
            } catch (NoSuchFileException | java.io.FileNotFoundException notYet) {
                // not written yet, or deleted by a finished run (which the check below reports)
            }
            if (!run.process().isAlive()) {
                throw new AssertionError("the run ended before its checkpoint showed what the test waits for; last seen: " + last
                        + run);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the checkpoint did not show what the test waits for within " + timeout + "; last: " + last);
    }

    static long countItems(LocalDynamoDb engine, String table) {
        return engine.client().scanPaginator(b -> b.tableName(table).consistentRead(true).select("COUNT")).stream()
                .mapToLong(page -> page.count()).sum();
    }

    /** The table holds exactly {@code items}, item by item, every attribute compared as DynamoDB compares values. */
    static void assertSameAsWritten(LocalDynamoDb engine, String table, List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> actual = CopyFixtures.itemsByKey(engine.client(), table, KEYS);
        Map<String, Map<String, AttributeValue>> expected = CopyFixtures.byKey(items, KEYS);
        assertThat(actual.keySet()).as("keys of %s", table).isEqualTo(expected.keySet());
        expected.forEach((key, item) -> {
            if (!item.equals(actual.get(key))) {
                assertThat(CopyFixtures.canonical(actual.get(key))).as("item %s", key).isEqualTo(CopyFixtures.canonical(item));
            }
        });
    }

    /** The command after {@code resume with: } in {@code stderr}, as the words a POSIX shell makes of it, without "dynamo". */
    static List<String> resumeCommand(String stderr) {
        int at = stderr.indexOf("resume with: ");
        assertThat(at).as("a resume command in %s", stderr).isNotNegative();
        String command = stderr.substring(at + "resume with: ".length()).lines().findFirst().orElseThrow();
        List<String> words = shellWords(command);
        assertThat(words.get(0)).isEqualTo("dynamo");
        return words.subList(1, words.size());
    }

    /** Splits a command line as sh does for plain words, single quotes and backslash escapes (all that quoting makes). */
    static List<String> shellWords(String line) {
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
}
