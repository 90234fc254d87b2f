package dev.dynamo.cli;

import dev.dynamo.copy.BillingChoice;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --billing-mode}: {@code on-demand} (or PAY_PER_REQUEST), {@code provisioned} (the
 * source's capacities), or {@code provisioned:READ,WRITE} (capacity units of the table and of each GSI).
 */
final class BillingModeOption implements ITypeConverter<BillingChoice> {
    private static final String EXPECTED = "expected on-demand, provisioned, or provisioned:READ,WRITE (for example provisioned:5,5)";

    /** What completion proposes: the two words (provisioned:READ,WRITE has numbers to type). */
    static final class Names extends java.util.ArrayList<String> {
        Names() {
            super(java.util.List.of("on-demand", "provisioned"));
        }
    }

    @Override
    public BillingChoice convert(String value) {
        return parse(value);
    }

    static BillingChoice parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("on-demand") || lower.equals("ondemand") || lower.equals("pay_per_request") || lower.equals("pay-per-request")) {
            return BillingChoice.onDemand();
        }
        if (lower.equals("provisioned")) {
            return BillingChoice.provisionedLikeSource();
        }
        if (lower.startsWith("provisioned:")) {
            String[] units = lower.substring("provisioned:".length()).split(",", -1);
            if (units.length == 2) {
                try {
                    long read = Long.parseLong(units[0].trim());
                    long write = Long.parseLong(units[1].trim());
                    if (read > 0 && write > 0) {
                        return BillingChoice.provisioned(read, write);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw new TypeConversionException("'" + text + "': read and write capacity must be positive whole numbers; " + EXPECTED);
        }
        throw new TypeConversionException("'" + text + "': " + EXPECTED);
    }
}
