package dev.dynamo.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a timeout: seconds ({@code 30}, {@code 2.5}, {@code 30s}) or milliseconds ({@code 500ms}),
 * from 100 ms to 15 minutes.
 */
final class TimeoutOption implements ITypeConverter<Duration> {
    static final Duration MIN = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMinutes(15);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        boolean millis = lower.endsWith("ms");
        String number = millis ? lower.substring(0, lower.length() - 2) : lower.endsWith("s") ? lower.substring(0, lower.length() - 1) : lower;
        Duration duration;
        try {
            BigDecimal value = new BigDecimal(number.trim());
            duration = Duration.ofMillis(value.multiply(BigDecimal.valueOf(millis ? 1 : 1000)).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + text + "' is not a timeout: give seconds (30, 2.5) or milliseconds (500ms)");
        }
        if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + text + "': a timeout must be 100ms to 900s");
        }
        return duration;
    }
}
