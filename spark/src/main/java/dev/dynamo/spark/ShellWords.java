package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one string into arguments as a POSIX shell splits words, without expanding anything: blanks separate words;
 * {@code '...'} is literal; in {@code "..."} a backslash escapes only {@code " \ $ `} (and a newline); outside quotes a
 * backslash escapes any character. For a job parameter that holds a whole command line ({@link GlueJob}).
 */
final class ShellWords {
    private ShellWords() {
    }

    /**
     * The words of {@code line}.
     *
     * @param what names the string in an error, e.g. {@code the job parameter --dynamo}
     * @throws DynamoException (usage) for an unterminated quote or a trailing backslash
     */
    static List<String> split(String line, String what) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw DynamoException.usage(what + " has an unterminated ' quote (at character " + (i + 1) + ")");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word, what);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw DynamoException.usage(what + " ends with a backslash that escapes nothing");
                }
                if (line.charAt(i + 1) != '\n') { // backslash-newline joins lines, as in a shell
                    word.append(line.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the double-quoted string that starts at {@code start}; returns the index after its closing quote. */
    private static int doubleQuoted(String line, int start, StringBuilder word, String what) {
        int i = start + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') {
                    word.append(line.charAt(i + 1));
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw DynamoException.usage(what + " has an unterminated \" quote (at character " + (start + 1) + ")");
    }
}
