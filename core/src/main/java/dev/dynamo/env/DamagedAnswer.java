package dev.dynamo.env;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.Counts;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An answer that cannot be right, from DynamoDB or from whatever stands between: a 200 without the
 * fields DynamoDB always sends, counts that do not add up, a page whose LastEvaluatedKey is the key it
 * was asked to start from, an unprocessed item that was never sent. Believing one loses items
 * silently (a page taken as a segment's last) or loops for ever.
 *
 * <p>It travels as the cause of an {@link SdkClientException}, which the retry logic treats like a
 * network error: the same read, or the same idempotent write, is asked again; when every retry is
 * damaged too, {@link ServiceErrors#translate} says so in one line.
 */
@API(status = INTERNAL, since = "0.1")
public final class DamagedAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    private DamagedAnswer(String operation, String what) {
        super(what);
        this.operation = operation;
    }

    /** The DynamoDB operation whose answer was damaged, e.g. {@code Scan}. */
    String operation() {
        return operation;
    }

    /** The damaged answer itself, for code that must throw an {@link IOException} (a stream the SDK reads, a response filter). */
    public static DamagedAnswer asIOException(String operation, String what) {
        return new DamagedAnswer(operation, what);
    }

    /** An exception to throw for a damaged answer to {@code operation}: {@code what} says what was wrong with it. */
    public static SdkClientException of(String operation, String what) {
        return SdkClientException.create("damaged " + operation + " answer: " + what, new DamagedAnswer(operation, what));
    }

    /**
     * Checks a Scan or Query page: {@code Count}, {@code ScannedCount} and {@code Items} present and
     * agreeing (no more items than were evaluated; as many as were evaluated when nothing filtered them),
     * no more evaluated than the {@code Limit}, a {@code LastEvaluatedKey} on a page that reached the
     * {@code Limit} (DynamoDB always sends one then), and one that moves on from the key the page started at.
     *
     * @param count        the page's {@code Count}, or null when it had none
     * @param hasItems     whether the page had an {@code Items} array
     * @param items        how many items it held
     * @param scannedCount its {@code ScannedCount}, or null when it had none
     * @param limit        the {@code Limit} sent, or null
     * @param filtered     whether a filter was sent (without one, DynamoDB's {@code ScannedCount} is its {@code Count})
     * @param startKey     the {@code ExclusiveStartKey} sent, or null
     * @param lastKey      the page's {@code LastEvaluatedKey}, or null or empty at the end
     * @throws SdkClientException (caused by a {@code DamagedAnswer}) when the page cannot be right
     */
    public static void checkPage(String operation, Integer count, boolean hasItems, int items, Integer scannedCount,
            Integer limit, boolean filtered, Map<String, AttributeValue> startKey, Map<String, AttributeValue> lastKey) {
        if (count == null) {
            throw of(operation, "no Count");
        }
        if (!hasItems) {
            throw of(operation, "no Items");
        }
        if (count != items) {
            throw of(operation, "Count " + count + " but " + Counts.items(items));
        }
        if (scannedCount == null) {
            throw of(operation, "no ScannedCount");
        }
        if (scannedCount < count) {
            throw of(operation, "ScannedCount " + scannedCount + " below Count " + count);
        }
        if (!filtered && !scannedCount.equals(count)) {
            // Without a filter every item evaluated is returned: an item taken out of the page shows here.
            throw of(operation, "ScannedCount " + scannedCount + " but Count " + count + " with no filter");
        }
        if (limit != null && scannedCount > limit) {
            throw of(operation, "ScannedCount " + scannedCount + " above the Limit " + limit + " asked for");
        }
        if (limit != null && scannedCount.equals(limit) && (lastKey == null || lastKey.isEmpty())) {
            // DynamoDB stops at the Limit with a LastEvaluatedKey, even when no item is left: a full page without one
            // has lost it, and taken as the last page it would end the read early.
            throw of(operation, "a page of Limit " + Counts.items(limit) + " without a LastEvaluatedKey");
        }
        if (startKey != null && !startKey.isEmpty() && Objects.equals(startKey, lastKey)) {
            throw of(operation, "LastEvaluatedKey is the ExclusiveStartKey it was given, so the next page would be this one again");
        }
    }

    /**
     * Checks a page's items against the key of the table they are read from: each has the key's
     * attributes, of the key's types, and no primary key comes twice.
     *
     * @param keyProblem what is wrong with an item's key ({@code KeySchema::problemWith}), or null when nothing is
     * @param key        the item's primary key (its key attributes, compared as DynamoDB sent them: one page
     *                   gives an item's key in one form), to find one that repeats
     */
    public static <T> void checkItems(String operation, Iterable<T> items, Function<T, String> keyProblem,
            Function<T, ?> key) {
        Set<Object> seen = new HashSet<>();
        for (T item : items) {
            String problem = keyProblem.apply(item);
            if (problem != null) {
                throw of(operation, problem);
            }
            if (!seen.add(key.apply(item))) {
                throw of(operation, "an item twice");
            }
        }
    }

    /** The damaged answer among {@code error}'s causes, or null. */
    static DamagedAnswer in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DamagedAnswer damaged) {
                return damaged;
            }
        }
        return null;
    }
}
