package dev.dynamo.store;

import dev.dynamo.DynamoException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Checks object names and sorts them as S3 does. */
final class ObjectNames {
    /** S3 lists keys in the order of their UTF-8 bytes; String.compareTo differs above U+FFFF. */
    static final Comparator<String> UTF8_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private ObjectNames() {
    }

    /**
     * A name is one or more '/'-separated parts, none empty, {@code .} or {@code ..}, without NUL or
     * backslash: names may come from a manifest someone else wrote, and must not reach outside the root.
     */
    static String check(String name, String where) {
        if (name == null || name.isEmpty()) {
            throw DynamoException.usage("an empty object name in " + where);
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\0') >= 0 || part.indexOf('\\') >= 0) {
                throw DynamoException.usage("invalid object name '" + name + "' in " + where
                        + ": names are '/'-separated parts, none empty, '.' or '..', without '\\'");
            }
        }
        return name;
    }

    /** A listing prefix: empty, or a name's beginning (it may end with '/'). */
    static String checkPrefix(String prefix, String where) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix + "x", where);
        return prefix;
    }
}
