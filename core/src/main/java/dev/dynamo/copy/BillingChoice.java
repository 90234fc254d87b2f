package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;

/**
 * The billing mode of a table the copy creates, when it should differ from the source's.
 *
 * @param mode       on-demand (PAY_PER_REQUEST) or PROVISIONED
 * @param readUnits  for PROVISIONED: read capacity of the table and of each GSI; 0 to take the source's
 * @param writeUnits for PROVISIONED: write capacity of the table and of each GSI; 0 to take the source's
 */
@API(status = STABLE, since = "0.1")
public record BillingChoice(BillingMode mode, long readUnits, long writeUnits) {
    public BillingChoice {
        if (mode != BillingMode.PAY_PER_REQUEST && mode != BillingMode.PROVISIONED) {
            throw new IllegalArgumentException("billing mode must be PAY_PER_REQUEST or PROVISIONED, not " + mode);
        }
        if (readUnits < 0 || writeUnits < 0 || (readUnits == 0) != (writeUnits == 0)) {
            throw new IllegalArgumentException("give both read and write capacity (positive), or neither: " + readUnits + ", " + writeUnits);
        }
    }

    public static BillingChoice onDemand() {
        return new BillingChoice(BillingMode.PAY_PER_REQUEST, 0, 0);
    }

    /** Provisioned with the source's capacities (the source must be provisioned). */
    public static BillingChoice provisionedLikeSource() {
        return new BillingChoice(BillingMode.PROVISIONED, 0, 0);
    }

    public static BillingChoice provisioned(long readUnits, long writeUnits) {
        if (readUnits <= 0 || writeUnits <= 0) {
            throw new IllegalArgumentException("provisioned capacity must be positive: " + readUnits + ", " + writeUnits);
        }
        return new BillingChoice(BillingMode.PROVISIONED, readUnits, writeUnits);
    }

    @Override
    public String toString() {
        return mode == BillingMode.PAY_PER_REQUEST ? "PAY_PER_REQUEST"
                : readUnits == 0 ? "PROVISIONED" : "PROVISIONED (" + readUnits + " RCU, " + writeUnits + " WCU)";
    }
}
