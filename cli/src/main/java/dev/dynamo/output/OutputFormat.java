package dev.dynamo.output;

/** How {@code dynamo query} prints what it found. */
public enum OutputFormat {
    /**
     * For people: "N items queried.", then the first item (--head) and the distinct values (-u), as dynamo-cmdline, the
     * Python tool dynamo descends from, printed a query.
     */
    SUMMARY,
    /** One pretty-printed JSON array of plain items. */
    JSON,
    /** One plain JSON item per line, printed as pages arrive. */
    JSONL,
    /** DynamoDB typed JSON, as the AWS CLI prints a query: {"Items": [...], "Count": N, "ScannedCount": M}. */
    DDB,
    /** A readable text table, key columns first. */
    TABLE
}
