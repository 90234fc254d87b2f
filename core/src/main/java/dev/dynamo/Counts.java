package dev.dynamo;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A count as a person reads it: thousands separated, and the noun singular for one ({@code 1 item}, {@code 50,000 items});
 * a size in binary units ({@code 512 B}, {@code 19.5 MiB}). Always in the ROOT locale, so scripts read the same text
 * everywhere.
 */
@API(status = INTERNAL, since = "0.1")
public final class Counts {
    private Counts() {
    }

    /** {@code 1 item}, {@code 0 items}, {@code 50,000 items}. */
    public static String items(long count) {
        return of(count, "item", "items");
    }

    /** {@code of(1, "file", "files")} is {@code 1 file}; {@code of(1200, "file", "files")} is {@code 1,200 files}. */
    public static String of(long count, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", count, count == 1 ? one : many);
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 19.5 MiB}, {@code 5.0 GiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
