package dev.dynamo.cli;

import dev.dynamo.env.EnvironmentResolver;

/**
 * What commands need from outside the command line: how to resolve environments and what the
 * standard streams are attached to. {@link CommandLineFactory} puts one into the root command.
 */
public record CliContext(EnvironmentResolver resolver, Terminal terminal) {

    public static CliContext system() {
        return new CliContext(EnvironmentResolver.create(), Terminal.detect());
    }
}
