package dev.dynamo.cli;

import dev.dynamo.env.EnvironmentResolver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What commands need from outside the command line: how to resolve environments, what the
 * standard streams are attached to, where a y/N answer is read from, the name the tool was invoked by
 * and whether colour is wanted. {@link CommandLineFactory} puts one into the root command.
 *
 * @param input   where answers to questions come from (stdin, or a test's text); opened on first use
 * @param program how a person runs this tool, as the commands it prints start ({@code resume with: ./dynamo copy ...}):
 *                {@code DYNAMO_PROGRAM}, which the launcher sets ({@code dynamo} when found through PATH, else the
 *                path as typed, such as {@code ./dynamo}); {@code dynamo} when unset or blank. Not shell-quoted.
 * @param noColor colour is not wanted even on a terminal: {@code NO_COLOR} is set to a non-empty value
 *                (no-color.org), or {@code TERM=dumb}
 */
public record CliContext(EnvironmentResolver resolver, Terminal terminal, Supplier<Reader> input, String program,
        boolean noColor) {
    /** The program name when {@code DYNAMO_PROGRAM} does not give one. */
    public static final String DEFAULT_PROGRAM = "dynamo";

    public CliContext {
        program = program == null || program.isBlank() ? DEFAULT_PROGRAM : program;
    }

    /** A context whose answers come from stdin, for the program {@code dynamo}, colour allowed. */
    public CliContext(EnvironmentResolver resolver, Terminal terminal) {
        this(resolver, terminal, CliContext::stdin);
    }

    /** A context for the program {@code dynamo}, colour allowed. */
    public CliContext(EnvironmentResolver resolver, Terminal terminal, Supplier<Reader> input) {
        this(resolver, terminal, input, DEFAULT_PROGRAM, false);
    }

    /**
     * A context whose program name and colour come from these environment variables ({@code DYNAMO_PROGRAM},
     * {@code NO_COLOR}, {@code TERM}) and whose answers come from stdin.
     */
    public static CliContext create(EnvironmentResolver resolver, Terminal terminal, Map<String, String> variables) {
        String noColor = variables.get("NO_COLOR");
        boolean dumb = "dumb".equals(variables.get("TERM"));
        return new CliContext(resolver, terminal, CliContext::stdin, variables.get("DYNAMO_PROGRAM"),
                (noColor != null && !noColor.isEmpty()) || dumb);
    }

    public static CliContext system() {
        return create(EnvironmentResolver.create(), Terminal.detect(), System.getenv());
    }

    /** Whether help may be coloured: stdout is a terminal and colour is wanted (see {@code --no-color} too). */
    boolean colors() {
        return terminal.interactive() && !noColor;
    }

    /** {@link #program}, as a word a POSIX shell reads back: {@code dynamo}, {@code ./dynamo}, {@code '/opt/my tools/dynamo'}. */
    String programWord() {
        return ShellQuoting.quote(program);
    }

    private static Reader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
    }
}
