package dev.dynamo.cli;

import java.math.BigDecimal;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A capacity rate typed on the command line ({@code --max-rcu 500}, {@code --max-wcu 12.5}):
 * capacity units per second, positive.
 *
 * @param unitsPerSecond the rate
 */
record CapacityRate(double unitsPerSecond) {
    /** The most a rate may be: far above any table's limits, low enough to be a typo if exceeded. */
    static final double MAX_UNITS_PER_SECOND = 10_000_000;

    static CapacityRate parse(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number of capacity units per second (for example 500)");
        }
        if (value.signum() <= 0 || value.doubleValue() > MAX_UNITS_PER_SECOND) {
            throw new TypeConversionException("'" + text + "' capacity units per second: give a positive number up to 10,000,000");
        }
        return new CapacityRate(value.doubleValue());
    }

    /** picocli's converter for the type. */
    static final class Converter implements ITypeConverter<CapacityRate> {
        @Override
        public CapacityRate convert(String value) {
            return parse(value);
        }
    }
}
