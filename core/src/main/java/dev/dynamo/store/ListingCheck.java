package dev.dynamo.store;

import dev.dynamo.DynamoException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Believes a ListObjectsV2 listing only when its pages hold together: an import that trusted a page
 * cut short, or a key given twice, would load a table with files missing or doubled and say "done".
 * A truncated page without a continuation token, a token given twice, a repeated key, a key outside
 * the prefix, or a key without its size is a failure.
 *
 * <p>Used by one thread: one listing.
 */
final class ListingCheck {
    private final S3Location where;
    private final String keyPrefix;
    private final String location;
    private final Set<String> keys = new HashSet<>();
    private final Set<String> tokens = new HashSet<>();
    private final List<StoredObject> objects = new ArrayList<>();
    private int pages;

    /**
     * @param keyPrefix the prefix the listing asked for (the store's prefix and the caller's)
     * @param location  what is listed, for messages ({@code s3://bucket/prefix/data/})
     */
    ListingCheck(S3Location where, String keyPrefix, String location) {
        this.where = where;
        this.keyPrefix = keyPrefix;
        this.location = location;
    }

    /**
     * Takes one page.
     *
     * @return the continuation token of the next page, or null when this was the last
     */
    String accept(ListObjectsV2Response page) {
        pages++;
        List<S3Object> contents = page.contents();
        if (page.keyCount() != null && page.keyCount() != contents.size() + page.commonPrefixes().size()) {
            throw damaged("page " + pages + " says it holds " + page.keyCount() + " keys but holds " + contents.size());
        }
        for (S3Object object : contents) {
            String key = object.key();
            if (key == null || key.isEmpty()) {
                throw damaged("page " + pages + " has an entry without a key");
            }
            if (object.size() == null) {
                throw damaged("page " + pages + " gives no size for key '" + key + "'");
            }
            if (!key.startsWith(keyPrefix)) {
                throw damaged("page " + pages + " gives key '" + key + "', outside the prefix asked for");
            }
            if (!keys.add(key)) {
                throw damaged("key '" + key + "' is listed twice (again on page " + pages + ")");
            }
            // A zero-byte key ending in '/' is a "folder" the console made, not a file.
            if (key.endsWith("/") && object.size() == 0) {
                continue;
            }
            objects.add(new StoredObject(key.substring(where.prefix().length()), object.size(), S3Store.unquote(object.eTag())));
        }
        if (page.isTruncated() == null) {
            throw damaged("page " + pages + " does not say whether more follow (no IsTruncated)");
        }
        if (!page.isTruncated()) {
            return null;
        }
        String token = page.nextContinuationToken();
        if (token == null || token.isEmpty()) {
            throw damaged("page " + pages + " is truncated but gives no continuation token");
        }
        if (!tokens.add(token)) {
            throw damaged("page " + pages + " repeats an earlier continuation token");
        }
        return token;
    }

    /** The objects listed, sorted as S3 sorts keys. */
    List<StoredObject> objects() {
        objects.sort((a, b) -> ObjectNames.UTF8_ORDER.compare(a.name(), b.name()));
        return objects;
    }

    int pages() {
        return pages;
    }

    private DynamoException damaged(String what) {
        // S3 gave a damaged listing of s3://exports/orders/: page 3 is truncated but gives no continuation token; ...
        return DynamoException.failure("S3 gave a damaged listing of " + location + ": " + what
                + "; nothing was read from it (run again; if it persists, the S3 endpoint is at fault)", null);
    }
}
