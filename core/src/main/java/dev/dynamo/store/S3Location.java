package dev.dynamo.store;

import dev.dynamo.DynamoException;

/**
 * A parsed {@code s3://bucket/prefix}.
 *
 * @param bucket the bucket's name
 * @param prefix "" or a key prefix ending with '/' ({@code exports/2024/})
 */
record S3Location(String bucket, String prefix) {

    /**
     * Parses {@code s3://bucket}, {@code s3://bucket/} or {@code s3://bucket/some/prefix[/]}: a prefix is a
     * "directory", as DynamoDB's S3Prefix is ({@code exports} holds {@code exports/AWSDynamoDB/...}).
     */
    static S3Location parse(String location) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        // Bucket names are 3-63 lowercase letters, digits, dots and hyphens; S3-compatible stores allow a little more.
        if (!bucket.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,254}")) {
            throw DynamoException.usage("malformed S3 location '" + location + "': expected s3://bucket/prefix, "
                    + "for example s3://my-exports/orders");
        }
        if (!prefix.isEmpty()) {
            if (!prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            ObjectNames.check(prefix.substring(0, prefix.length() - 1), "S3 location '" + location + "'");
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of a name. */
    String key(String name) {
        return prefix + name;
    }

    /** {@code s3://bucket} or {@code s3://bucket/prefix} (without the final '/'). */
    String describe() {
        return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix.substring(0, prefix.length() - 1);
    }

    /** {@code s3://bucket/prefix/name}. */
    String locationOf(String name) {
        return "s3://" + bucket + "/" + key(name);
    }
}
