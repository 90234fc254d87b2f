package dev.dynamo.verify;

import static org.apiguardian.api.API.Status.STABLE;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a verification found. Keys are listed in DynamoDB's key order, at most {@link VerifyPlan#show}
 * of each kind; the counts are complete.
 *
 * @param source          the source, as {@code table 'Orders' in 'prod' (eu-west-1)}
 * @param target          the target, the same way
 * @param selection       true when only query-selected items were compared
 * @param keyNames        the key attributes, partition key first
 * @param sourceItems     source items read
 * @param targetItems     target items read
 * @param matching        keys with the same item on both sides
 * @param missing         keys in the source and not in the target
 * @param extra           keys in the target and not in the source
 * @param different       keys on both sides whose items differ
 * @param missingKeys     the first missing keys
 * @param extraKeys       the first extra keys
 * @param differentItems  the first different keys, with where the items differ
 * @param buckets         bucket pairs compared (more than were planned when some had to be split)
 * @param largestBucketBytes the most bytes of records held in memory at once while comparing
 * @param readUnits       read capacity consumed, as DynamoDB reported it
 * @param retried         requests retried (throttling, 5xx, network, unprocessed keys)
 * @param throttled       requests throttled
 * @param elapsed         how long the verification took
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
@RecordBuilder.Options(useImmutableCollections = true)
public record VerifyResult(
        String source,
        String target,
        boolean selection,
        List<String> keyNames,
        long sourceItems,
        long targetItems,
        long matching,
        long missing,
        long extra,
        long different,
        List<Map<String, AttributeValue>> missingKeys,
        List<Map<String, AttributeValue>> extraKeys,
        List<Difference> differentItems,
        long buckets,
        long largestBucketBytes,
        double readUnits,
        long retried,
        long throttled,
        Duration elapsed) {

    public VerifyResult {
        keyNames = List.copyOf(keyNames);
        missingKeys = List.copyOf(missingKeys);
        extraKeys = List.copyOf(extraKeys);
        differentItems = List.copyOf(differentItems);
    }

    /** True when both sides hold exactly the same items. */
    public boolean identical() {
        return missing == 0 && extra == 0 && different == 0;
    }

    /**
     * A key whose items differ, and where.
     *
     * @param key        the key
     * @param attributes the paths where the items differ ({@code map.inner.deep}, {@code list[2]}), read again after
     *                   the comparison; empty when that second read found them equal or one gone (the items changed
     *                   since they were scanned)
     */
    public record Difference(Map<String, AttributeValue> key, List<String> attributes) {
        public Difference {
            attributes = List.copyOf(attributes);
        }
    }

    public static VerifyResultBuilder builder() {
        return VerifyResultBuilder.builder();
    }
}
