package dev.dynamo.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.items.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table export in the layout of DynamoDB's own "Export to S3", written by {@code dev/aws-export/write-export.mjs}
 * (Node, no dynamo code), so that dynamo's import is tested against a writer it does not share code with.
 *
 * <pre>{@code
 * Path export = AwsExportFixture.builder(tempDir.resolve("bucket"))
 *         .format(Format.ION).type(Type.FULL_EXPORT).files(3).items(items).s3Prefix("exports")
 *         .write(); // tempDir/bucket/AWSDynamoDB/01704164645678-3c56574f
 * }</pre>
 *
 * <p>The output directory stands for {@code s3://BUCKET/PREFIX/}: manifests name data files by their key from the
 * bucket root ({@code PREFIX/AWSDynamoDB/...}). A full export's data files are in the export's {@code data/}; an
 * incremental export's, as on AWS, in the shared {@code AWSDynamoDB/data/} beside the export's directory. See the
 * script's header for what it writes and why.
 */
public final class AwsExportFixture {
    private static final String SCRIPT = "dev/aws-export/write-export.mjs";
    private static final long NODE_TIMEOUT_SECONDS = 120;

    /** The export's data format, as {@code ExportFormat} names it. */
    public enum Format { DYNAMODB_JSON, ION }

    /** Full or incremental, as {@code ExportType} names it. */
    public enum Type { FULL_EXPORT, INCREMENTAL_EXPORT }

    /**
     * One change in an incremental export: the item's key, its image after the write ({@code null}: deleted) and
     * before it ({@code null}: it was new, or the view is NEW_IMAGE), and when it was written.
     */
    public record Change(Map<String, AttributeValue> keys, Map<String, AttributeValue> newImage,
            Map<String, AttributeValue> oldImage, long writeTimestampMicros) {
        public Change {
            Objects.requireNonNull(keys, "keys");
        }
    }

    private AwsExportFixture() {
    }

    /** Writes into {@code outDir} (made if missing), which stands for the bucket and prefix the export went to. */
    public static Builder builder(Path outDir) {
        return new Builder(outDir);
    }

    /** The options of {@code write-export.mjs}; defaults: DynamoDB JSON, full, one file, no items, no prefix. */
    public static final class Builder {
        private final Path outDir;
        private Format format = Format.DYNAMODB_JSON;
        private Type type = Type.FULL_EXPORT;
        private int files = 1;
        private List<Map<String, AttributeValue>> items = List.of();
        private List<Change> changes = List.of();
        private String s3Prefix;
        private boolean plain;
        private String exportId;
        private String tableArn;
        private Instant exportTime;
        private String viewType;
        private String checksumFiles;
        private boolean ionIntegers;

        private Builder(Path outDir) {
            this.outDir = outDir;
        }

        public Builder format(Format format) {
            this.format = format;
            return this;
        }

        public Builder type(Type type) {
            this.type = type;
            return this;
        }

        /** How many data files the records are spread over, round-robin; more files than records leaves some empty. */
        public Builder files(int files) {
            this.files = files;
            return this;
        }

        /** The items of a full export. */
        public Builder items(List<Map<String, AttributeValue>> items) {
            this.items = List.copyOf(items);
            return this;
        }

        /** The changes of an incremental export. */
        public Builder changes(List<Change> changes) {
            this.changes = List.copyOf(changes);
            return this;
        }

        /** The S3 prefix the export was written under (default: none); it appears in the manifests' keys. */
        public Builder s3Prefix(String s3Prefix) {
            this.s3Prefix = s3Prefix;
            return this;
        }

        /** Data files uncompressed ({@code .json} / {@code .ion}) instead of gzip. */
        public Builder plain(boolean plain) {
            this.plain = plain;
            return this;
        }

        public Builder exportId(String exportId) {
            this.exportId = exportId;
            return this;
        }

        public Builder tableArn(String tableArn) {
            this.tableArn = tableArn;
            return this;
        }

        /** A full export's point in time, or the end of an incremental export's window (15 minutes long). */
        public Builder exportTime(Instant exportTime) {
            this.exportTime = exportTime;
            return this;
        }

        /** {@code NEW_AND_OLD_IMAGES} (default) or {@code NEW_IMAGE}, which leaves out every old image. */
        public Builder viewType(String viewType) {
            this.viewType = viewType;
            return this;
        }

        /** Which checksum files sit beside the manifests: {@code md5} (what AWS writes, default), {@code checksum}, {@code both}, {@code none}. */
        public Builder checksumFiles(String checksumFiles) {
            this.checksumFiles = checksumFiles;
            return this;
        }

        /** Integral numbers as Ion ints ({@code 103}) rather than decimals ({@code 103.}), for readers that must take both. */
        public Builder ionIntegers(boolean ionIntegers) {
            this.ionIntegers = ionIntegers;
            return this;
        }

        /**
         * Runs the script and returns the export's directory, {@code outDir/AWSDynamoDB/<ExportId>}.
         *
         * @throws IllegalStateException with the script's stderr, when it fails
         */
        public Path write() throws IOException, InterruptedException {
            PrivateFiles.createDirectories(outDir);
            Path work = Files.createTempDirectory(outDir.toAbsolutePath().getParent(), "aws-export-input");
            try {
                Path records = work.resolve("records.jsonl");
                writeRecords(records);
                return run(records, work);
            } finally {
                PrivateFiles.deleteTree(work);
            }
        }

        private void writeRecords(Path file) throws IOException {
            try (FileChannel channel = PrivateFiles.open(file, true);
                    OutputStream out = Channels.newOutputStream(channel);
                    JsonGenerator json = DynamoJson.FACTORY.createGenerator(out)) {
                json.setRootValueSeparator(null);
                if (type == Type.FULL_EXPORT) {
                    for (Map<String, AttributeValue> item : items) {
                        json.writeStartObject();
                        json.writeFieldName("Item");
                        DynamoJson.writeItem(json, item, List.of());
                        json.writeEndObject();
                        json.writeRaw('\n');
                    }
                } else {
                    for (Change change : changes) {
                        json.writeStartObject();
                        json.writeFieldName("Keys");
                        DynamoJson.writeItem(json, change.keys(), List.of());
                        if (change.newImage() != null) {
                            json.writeFieldName("NewImage");
                            DynamoJson.writeItem(json, change.newImage(), List.of());
                        }
                        if (change.oldImage() != null) {
                            json.writeFieldName("OldImage");
                            DynamoJson.writeItem(json, change.oldImage(), List.of());
                        }
                        json.writeStringField("WriteTimestampMicros", Long.toString(change.writeTimestampMicros()));
                        json.writeEndObject();
                        json.writeRaw('\n');
                    }
                }
            }
        }

        private Path run(Path records, Path work) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("node", repoRoot().resolve(SCRIPT).toString(),
                    "--out", outDir.toAbsolutePath().toString(), "--format", format.name(), "--type", type.name(),
                    "--files", Integer.toString(files), "--items", records.toString()));
            optional(command, "--s3-prefix", s3Prefix);
            optional(command, "--export-id", exportId);
            optional(command, "--table-arn", tableArn);
            optional(command, "--export-time", exportTime == null ? null : exportTime.toString());
            optional(command, "--view-type", viewType);
            optional(command, "--checksum-files", checksumFiles);
            if (plain) {
                command.add("--plain");
            }
            if (ionIntegers) {
                command.add("--ion-integers");
            }
            Path stdout = work.resolve("stdout");
            Path stderr = work.resolve("stderr");
            Process node = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!node.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new IllegalStateException("write-export.mjs did not finish in " + NODE_TIMEOUT_SECONDS + " s: " + command);
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (node.exitValue() != 0) {
                throw new IllegalStateException("write-export.mjs exited " + node.exitValue() + ": " + err.strip() + "\n" + command);
            }
            return Path.of(Files.readString(stdout, StandardCharsets.UTF_8).strip());
        }

        private static void optional(List<String> command, String option, String value) {
            if (value != null) {
                command.add(option);
                command.add(value);
            }
        }
    }

    /** The repository's root: {@code dynamo.root.dir} (set by the poms for tests), else the nearest directory up holding {@code mvnw}. */
    static Path repoRoot() {
        String configured = System.getProperty("dynamo.root.dir");
        if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, SCRIPT))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("cannot find " + SCRIPT + ": set -Ddynamo.root.dir to the repository's root"));
    }
}
