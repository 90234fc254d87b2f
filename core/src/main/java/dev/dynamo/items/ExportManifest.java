package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The manifests of an export, in the layout DynamoDB's export to S3 writes (developer guide, "DynamoDB table export
 * output format"), so that AWS's Import from S3, Athena, Glue and every tool that reads such exports reads dynamo's, and
 * dynamo reads theirs:
 * <pre>
 * PREFIX/AWSDynamoDB/01764624000000-1a2b3c4d/_started                 (empty: the export began)
 * PREFIX/AWSDynamoDB/01764624000000-1a2b3c4d/data/s00000-00000.json.gz (the items, one line each)
 * PREFIX/AWSDynamoDB/01764624000000-1a2b3c4d/manifest-files.json      (one line per data file)
 * PREFIX/AWSDynamoDB/01764624000000-1a2b3c4d/manifest-summary.json    (written last: the export is complete)
 * PREFIX/AWSDynamoDB/01764624000000-1a2b3c4d/dynamo-table.json        (dynamo's own: the table's keys and indexes)
 * </pre>
 * A line of manifest-files.json:
 * <pre>
 * {"itemCount":1000,"md5Checksum":"sQMSpEILNgoQmarvDFonGQ==","etag":"b10312a4420b360a1099aaef0c5a2719","dataFileS3Key":"PREFIX/AWSDynamoDB/01764624000000-1a2b3c4d/data/s00000-00000.json.gz"}
 * </pre>
 * {@code md5Checksum} is the base64 MD5 of the data file's bytes as stored (gzip), {@code etag} its S3 ETag, and
 * {@code dataFileS3Key} its key from the bucket's root. Reading is strict (trust no file): every field there, of its
 * type, no data file twice, counts that add up. Stateless.
 */
@API(status = INTERNAL, since = "0.1")
public final class ExportManifest {
    /** The folder every export lies in, under the destination's prefix. */
    public static final String EXPORTS_FOLDER = "AWSDynamoDB/";
    public static final String SUMMARY = "manifest-summary.json";
    public static final String FILES = "manifest-files.json";
    public static final String STARTED = "_started";
    /** dynamo's own file beside AWS's: the table's definition, for {@code import --create-table}. */
    public static final String TABLE = "dynamo-table.json";
    public static final String FULL_EXPORT = "FULL_EXPORT";
    public static final String INCREMENTAL_EXPORT = "INCREMENTAL_EXPORT";
    /** The manifest-summary version AWS writes. */
    static final String VERSION = "2020-06-30";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportManifest() {
    }

    /**
     * One data file of an export.
     *
     * @param name      its name: relative to the export's folder ({@code data/s00000-00000.json.gz}) for a file being
     *                  written; relative to the destination's root ({@code AWSDynamoDB/ID/data/...}) for one read from a
     *                  manifest
     * @param itemCount the records it holds
     * @param md5       the base64 MD5 of its bytes as stored
     * @param etag      its ETag (S3's; the hex MD5 for a local file)
     * @param key       its {@code dataFileS3Key} as the manifest gives it
     */
    public record DataFile(String name, long itemCount, String md5, String etag, String key) {
    }

    /**
     * What manifest-summary.json says that an import needs.
     *
     * @param exportArn  the export's ARN (null when not given)
     * @param exportType FULL_EXPORT or INCREMENTAL_EXPORT (FULL_EXPORT when absent: exports before incremental ones had none)
     * @param format     the data files' format
     * @param itemCount  the records of every data file together
     * @param exportTime when the export's data is from: exportToTime for an incremental export, exportTime otherwise
     */
    public record Summary(String exportArn, String exportType, ExportFormat format, long itemCount, String exportTime) {
        public boolean incremental() {
            return INCREMENTAL_EXPORT.equals(exportType);
        }
    }

    /**
     * What a new export's manifest-summary.json holds.
     *
     * @param bucket  the S3 bucket, or null for a local folder
     * @param prefix  the prefix under the bucket (or folder) without a trailing slash, or "" for none
     */
    public record Written(String exportId, String tableArn, String tableId, String bucket, String prefix, String startTime,
            String endTime, ExportFormat format, long itemCount, long billedSizeBytes) {
    }

    /** The folder of export {@code exportId}, relative to the destination: {@code AWSDynamoDB/ID/}. */
    public static String folder(String exportId) {
        return EXPORTS_FOLDER + exportId + "/";
    }

    /** The key of {@code name} in export {@code exportId} from the bucket's root: {@code PREFIX/AWSDynamoDB/ID/NAME}. */
    public static String key(String prefix, String exportId, String name) {
        return (prefix == null || prefix.isEmpty() ? "" : prefix + "/") + folder(exportId) + name;
    }

    /** The manifest-summary.json of a finished export. */
    public static byte[] summaryJson(Written export) {
        ObjectNode summary = JSON.createObjectNode();
        summary.put("version", VERSION);
        summary.put("exportArn", export.tableArn() == null ? null : export.tableArn() + "/export/" + export.exportId());
        summary.put("startTime", export.startTime());
        summary.put("endTime", export.endTime());
        summary.put("tableArn", export.tableArn());
        summary.put("tableId", export.tableId());
        summary.put("exportTime", export.startTime());
        summary.put("s3Bucket", export.bucket());
        summary.put("s3Prefix", export.prefix() == null || export.prefix().isEmpty() ? null : export.prefix());
        summary.putNull("s3SseAlgorithm");
        summary.putNull("s3SseKmsKeyId");
        summary.put("manifestFilesS3Key", key(export.prefix(), export.exportId(), FILES));
        summary.put("billedSizeBytes", export.billedSizeBytes());
        summary.put("itemCount", export.itemCount());
        summary.put("outputFormat", export.format().awsName());
        summary.put("exportType", FULL_EXPORT);
        return (summary.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The manifest-files.json of an export's data files: one JSON object per line. */
    public static byte[] filesJson(List<DataFile> files) {
        StringBuilder lines = new StringBuilder();
        for (DataFile file : files) {
            ObjectNode line = JSON.createObjectNode();
            line.put("itemCount", file.itemCount());
            line.put("md5Checksum", file.md5());
            line.put("etag", file.etag());
            line.put("dataFileS3Key", file.key());
            lines.append(line).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads manifest-summary.json.
     *
     * @param where the file's location, for messages
     * @throws DynamoException (usage) naming the file and what is wrong with it
     */
    public static Summary readSummary(byte[] bytes, String where) {
        JsonNode summary = parse(bytes, where);
        if (!summary.isObject()) {
            throw DynamoException.usage(where + " is not a JSON object: not an export's manifest-summary.json");
        }
        String format = text(summary, "outputFormat", where, true);
        String type = text(summary, "exportType", where, false);
        if (type == null) {
            type = FULL_EXPORT;
        } else if (!type.equals(FULL_EXPORT) && !type.equals(INCREMENTAL_EXPORT)) {
            throw DynamoException.usage(where + ": exportType '" + type + "' is neither " + FULL_EXPORT + " nor " + INCREMENTAL_EXPORT);
        }
        JsonNode count = summary.get("itemCount");
        if (count == null || !count.canConvertToLong() || count.asLong() < 0) {
            throw DynamoException.usage(where + ": itemCount is missing or not a count");
        }
        String time = text(summary, type.equals(INCREMENTAL_EXPORT) ? "exportToTime" : "exportTime", where, false);
        if (time == null) {
            time = text(summary, "exportTime", where, false);
        }
        return new Summary(text(summary, "exportArn", where, false), type, ExportFormat.fromAwsName(format), count.asLong(), time);
    }

    /**
     * Reads manifest-files.json and maps each {@code dataFileS3Key} to a name from the destination's root (the part from
     * {@code AWSDynamoDB/} on), wherever the export was written (its prefix, or a copy of it elsewhere).
     *
     * @throws DynamoException (usage) naming the file and line of what is wrong: a missing field, a key outside the
     *                         export's folder, a data file listed twice
     */
    public static List<DataFile> readFiles(byte[] bytes, String exportId, String where) {
        List<DataFile> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String folder = folder(exportId);
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String lineWhere = where + " line " + (i + 1);
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode line = parse(lines[i].getBytes(StandardCharsets.UTF_8), lineWhere);
            if (!line.isObject()) {
                throw DynamoException.usage(lineWhere + ": not a JSON object");
            }
            JsonNode count = line.get("itemCount");
            if (count == null || !count.canConvertToLong() || count.asLong() < 0) {
                throw DynamoException.usage(lineWhere + ": itemCount is missing or not a count");
            }
            String md5 = text(line, "md5Checksum", lineWhere, true);
            String etag = text(line, "etag", lineWhere, false);
            String key = text(line, "dataFileS3Key", lineWhere, true);
            // A full export's data files are in its own folder (AWSDynamoDB/ID/data/); an incremental export's in the
            // folder its prefix's incremental exports share (AWSDynamoDB/data/): the manifest alone says which are its.
            int at = key.indexOf(folder + "data/");
            if (at < 0) {
                at = key.indexOf(EXPORTS_FOLDER + "data/");
            }
            if (at < 0) {
                throw DynamoException.usage(lineWhere + ": dataFileS3Key '" + key + "' is neither in the export's folder " + folder
                        + "data/ nor in " + EXPORTS_FOLDER + "data/");
            }
            String name = key.substring(at);
            if (name.contains("/../") || name.endsWith("/..")) {
                throw DynamoException.usage(lineWhere + ": dataFileS3Key '" + key + "' leaves the export's folder");
            }
            if (!seen.add(name)) {
                throw DynamoException.usage(lineWhere + ": data file " + name + " is listed twice");
            }
            files.add(new DataFile(name, count.asLong(), md5, etag, key));
        }
        return files;
    }

    private static JsonNode parse(byte[] bytes, String where) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null) {
                throw DynamoException.usage(where + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw DynamoException.usage(where + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String text(JsonNode object, String field, String where, boolean required) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw DynamoException.usage(where + ": " + field + " is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw DynamoException.usage(where + ": " + field + " is not a string");
        }
        return value.asText();
    }
}
