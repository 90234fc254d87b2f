package dev.dynamo.cli;

import dev.dynamo.env.EnvironmentResolver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.function.Supplier;

/**
 * What commands need from outside the command line: how to resolve environments, what the
 * standard streams are attached to, and where a y/N answer is read from. {@link CommandLineFactory}
 * puts one into the root command.
 *
 * @param input where answers to questions come from (stdin, or a test's text); opened on first use
 */
public record CliContext(EnvironmentResolver resolver, Terminal terminal, Supplier<Reader> input) {

    /** A context whose answers come from stdin. */
    public CliContext(EnvironmentResolver resolver, Terminal terminal) {
        this(resolver, terminal, CliContext::stdin);
    }

    public static CliContext system() {
        return new CliContext(EnvironmentResolver.create(), Terminal.detect());
    }

    private static Reader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
    }
}
