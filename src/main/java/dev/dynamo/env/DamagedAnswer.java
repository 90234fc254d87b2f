package dev.dynamo.env;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
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
public final class DamagedAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;

    private DamagedAnswer(String operation, String what) {
        super(what);
        this.operation = operation;
    }

    /** The DynamoDB operation whose answer was damaged, e.g. {@code Scan}. */
    public String operation() {
        return operation;
    }

    /** The damaged answer itself, for code that must throw an {@link IOException} (a stream the SDK reads). */
    public static DamagedAnswer tooLarge(String operation, String what) {
        return new DamagedAnswer(operation, what);
    }

    /** An exception to throw for a damaged answer to {@code operation}: {@code what} says what was wrong with it. */
    public static SdkClientException of(String operation, String what) {
        return SdkClientException.create("damaged " + operation + " answer: " + what, new DamagedAnswer(operation, what));
    }

    /**
     * Checks a Scan or Query page: {@code Count} and {@code Items} present and agreeing, no more items
     * than were evaluated, and a {@code LastEvaluatedKey} that moves on from the key the page started at.
     *
     * @param count        the page's {@code Count}, or null when it had none
     * @param hasItems     whether the page had an {@code Items} array
     * @param items        how many items it held
     * @param scannedCount its {@code ScannedCount}, or null
     * @param startKey     the {@code ExclusiveStartKey} sent, or null
     * @param lastKey      the page's {@code LastEvaluatedKey}, or null or empty at the end
     * @throws SdkClientException (caused by a {@code DamagedAnswer}) when the page cannot be right
     */
    public static void checkPage(String operation, Integer count, boolean hasItems, int items, Integer scannedCount,
            Map<String, AttributeValue> startKey, Map<String, AttributeValue> lastKey) {
        if (count == null) {
            throw of(operation, "no Count");
        }
        if (!hasItems) {
            throw of(operation, "no Items");
        }
        if (count != items) {
            throw of(operation, "Count " + count + " but " + items + (items == 1 ? " item" : " items"));
        }
        if (scannedCount != null && scannedCount < count) {
            throw of(operation, "ScannedCount " + scannedCount + " below Count " + count);
        }
        if (startKey != null && !startKey.isEmpty() && Objects.equals(startKey, lastKey)) {
            throw of(operation, "LastEvaluatedKey is the ExclusiveStartKey it was given, so the next page would be this one again");
        }
    }

    /** The damaged answer among {@code error}'s causes, or null. */
    public static DamagedAnswer in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DamagedAnswer damaged) {
                return damaged;
            }
        }
        return null;
    }
}
