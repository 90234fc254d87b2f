package dev.dynamo.output;

import java.util.Locale;

/**
 * The {@code -o} vocabulary shared by {@code query}, {@code tables} and {@code describe}. Each command takes
 * the formats that fit what it prints (see {@code FormatConverter} in the cli package): a format means the
 * same wherever it is taken.
 */
public enum OutputFormat {
    /**
     * For people (query): "N items queried.", the first item (--head) and the distinct values (-u), as dynamo-cmdline,
     * the Python tool dynamo descends from, printed a query.
     */
    SUMMARY,
    /** Lines for people: table names one per line (tables), the description as labelled lines (describe). */
    TEXT,
    /** One pretty-printed JSON document: an array of plain items (query), the AWS CLI's shape (tables, describe). */
    JSON,
    /** One JSON value per line, printed as it comes: plain items (query), table names as strings (tables). */
    JSONL,
    /** DynamoDB typed JSON, as the AWS CLI prints a query: {"Items": [...], "Count": N, "ScannedCount": M}. */
    DDB,
    /** A readable text table, key columns first (query). */
    TABLE;

    /** The format as typed after {@code -o}: {@code jsonl}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
