package dev.dynamo.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Which standard streams are attached to a terminal. Decides the default output format, progress
 * lines and whether a y/N question can be asked. Passed in so tests can be either.
 *
 * @param interactive stdin and stdout are a terminal (a person is there to answer)
 * @param stderr      stderr is a terminal (a live progress line makes sense)
 */
public record Terminal(boolean interactive, boolean stderr) {

    /** Neither: what tests, pipes and CI see. */
    public static final Terminal NONE = new Terminal(false, false);

    /** What this process is attached to. */
    public static Terminal detect() {
        Console console = System.console();
        boolean interactive = console != null && isTerminal(console);
        // Java cannot ask about stderr alone; a console and no redirect marker is the best guess.
        boolean stderr = interactive && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(interactive, stderr);
    }

    private static boolean isTerminal(Console console) {
        try {
            // Java 22+ returns a console even when redirected, and says so through isTerminal().
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only when stdin and stdout are a terminal
        }
    }
}
