package dev.dynamo.cli;

import picocli.CommandLine.Option;

/** {@code -v}, {@code -q} and {@code --debug}: a mixin of the root command and of every subcommand. */
public final class VerbosityOptions {
    @Option(names = {"-v", "--verbose"},
            description = "More log lines on stderr: -v for progress details, -vv for debugging.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Only errors on stderr.")
    boolean quiet;

    @Option(names = "--debug",
            description = "Debug logs, and a stack trace with any error.")
    boolean debug;
}
