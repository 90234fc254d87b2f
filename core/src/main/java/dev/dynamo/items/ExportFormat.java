package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The two data formats of DynamoDB's export to S3 (and of its import from S3): DynamoDB JSON lines
 * ({@code {"Item":{"pk":{"S":"a"}}}}) and Amazon Ion text lines ({@code $ion_1_0 {Item:{pk:"a"}}}).
 */
@API(status = INTERNAL, since = "0.1")
public enum ExportFormat {
    DYNAMODB_JSON(".json.gz"),
    ION(".ion.gz");

    private final String dataFileSuffix;

    ExportFormat(String dataFileSuffix) {
        this.dataFileSuffix = dataFileSuffix;
    }

    /** {@code "DYNAMODB_JSON"} / {@code "ION"}: the {@code outputFormat} value of a {@code manifest-summary.json}. */
    public String awsName() {
        return name();
    }

    /** {@code ".json.gz"} / {@code ".ion.gz"}: the suffix of the data files dynamo writes (DynamoDB's own names end so). */
    public String dataFileSuffix() {
        return dataFileSuffix;
    }

    /**
     * The format a manifest's {@code outputFormat} names, exactly as DynamoDB spells it.
     *
     * @throws DynamoException (usage) naming the value and the two known ones
     */
    public static ExportFormat fromAwsName(String name) {
        for (ExportFormat format : values()) {
            if (format.awsName().equals(name)) {
                return format;
            }
        }
        throw DynamoException.usage("unknown export output format " + (name == null ? "(none)" : "'" + name + "'")
                + ": expected DYNAMODB_JSON or ION");
    }

    /**
     * The format a data file's name says, ignoring case: {@code .json}, {@code .json.gz}, {@code .jsonl} and
     * {@code .jsonl.gz} are DynamoDB JSON, {@code .ion} and {@code .ion.gz} Ion; any other name is empty.
     */
    public static Optional<ExportFormat> ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            lower = lower.substring(0, lower.length() - ".gz".length());
        }
        if (lower.endsWith(".json") || lower.endsWith(".jsonl")) {
            return Optional.of(DYNAMODB_JSON);
        }
        if (lower.endsWith(".ion")) {
            return Optional.of(ION);
        }
        return Optional.empty();
    }
}
