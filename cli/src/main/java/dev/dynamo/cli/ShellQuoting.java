package dev.dynamo.cli;

import java.util.regex.Pattern;

/** Quotes command-line arguments for a POSIX shell, so a printed command can be pasted and run as it is. */
final class ShellQuoting {
    /** Characters no POSIX shell treats specially, anywhere in a word. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellQuoting() {
    }

    /** The argument as a shell word: as it is when plain ({@code --table}), else single-quoted ({@code 'customer#42'}). */
    static String quote(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        // Inside single quotes everything is literal but the single quote itself: end the quotes, add \', reopen.
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
