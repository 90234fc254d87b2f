package dev.dynamo.env;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line of a key in a TOML text, for messages about a file that parsed but says something wrong (the
 * parsed tree keeps no lines). Covers the file's usual shape, {@code [env.NAME]} headers and {@code key = value}
 * lines; 0 when not found, and the message then names no line.
 */
final class EnvironmentsFileLines {
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\s*([^\\]]+?)\\s*\\]");
    private static final Pattern KEY = Pattern.compile("^\\s*\"?([A-Za-z0-9_.-]+)\"?\\s*=");

    private EnvironmentsFileLines() {
    }

    /**
     * The 1-based line of {@code key} in the table {@code [env.ENV]} (of the header when key is null), or of the
     * top-level key when env is null; 0 when not found.
     */
    static int lineOf(String text, String env, String key) {
        String[] lines = text.split("\r?\n", -1);
        String table = "";
        for (int i = 0; i < lines.length; i++) {
            Matcher header = HEADER.matcher(lines[i]);
            if (header.find()) {
                table = header.group(1).replace("\"", "").replace(" ", "");
                if (key == null && env != null && table.equals("env." + env)) {
                    return i + 1;
                }
                if (key != null && env == null && (table.equals(key) || table.startsWith(key + "."))) {
                    return i + 1;
                }
                continue;
            }
            Matcher keyLine = KEY.matcher(lines[i]);
            if (key != null && keyLine.find()) {
                String found = keyLine.group(1);
                boolean inEnv = env != null && table.equals("env." + env) && found.equals(key);
                boolean topLevel = env == null && table.isEmpty() && (found.equals(key) || found.startsWith(key + "."));
                if (inEnv || topLevel) {
                    return i + 1;
                }
            }
        }
        return 0;
    }
}
