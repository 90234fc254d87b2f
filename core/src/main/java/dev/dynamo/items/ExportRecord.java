package dev.dynamo.items;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One line of an export data file.
 *
 * <p>A full export's line {@code {"Item":{...}}} has {@code item} and no {@code keys}. An incremental
 * export's line has {@code keys} (its {@code Keys}), {@code item} = its {@code NewImage} (null when the
 * line has none: the item was deleted), {@code oldImage} = its {@code OldImage} (null unless the export's
 * view type is NEW_AND_OLD_IMAGES and the item existed before), and {@code writeTimestampMicros} = its
 * {@code Metadata.WriteTimestampMicros}, or -1 when the line has none.
 *
 * @param item                 the item (full export) or the item after the change (incremental), null for a delete
 * @param keys                 the key attributes of an incremental line; null on a full export's line
 * @param oldImage             the item before the change, or null
 * @param writeTimestampMicros when the change was written, in microseconds since the epoch; -1 when unknown
 */
@API(status = INTERNAL, since = "0.1")
public record ExportRecord(Map<String, AttributeValue> item, Map<String, AttributeValue> keys,
                           Map<String, AttributeValue> oldImage, long writeTimestampMicros) {

    public ExportRecord {
        if (keys == null && (item == null || oldImage != null)) {
            throw new IllegalArgumentException("a full export's record has an item and no old image; an incremental one has keys");
        }
        if (writeTimestampMicros < -1) {
            throw new IllegalArgumentException("writeTimestampMicros must be -1 (unknown) or a time: " + writeTimestampMicros);
        }
    }

    /** A full export's line: the item as it is. */
    public static ExportRecord put(Map<String, AttributeValue> item) {
        return new ExportRecord(item, null, null, -1);
    }

    /** An incremental export's line without a new image: the item with these keys was deleted. */
    public boolean isDelete() {
        return keys != null && item == null;
    }
}
