package dev.dynamo.cli;

import picocli.CommandLine.Option;

/**
 * {@code -v}, {@code -q}, {@code --debug} and {@code --no-color}: a mixin of the root command and of every subcommand,
 * each meaning the same before or after the command (see {@link CommandLineFactory}).
 */
public final class VerbosityOptions {
    @Option(names = {"-v", "--verbose"},
            description = "More log lines on stderr: -v for progress details, -vv for debugging.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Only errors on stderr.")
    boolean quiet;

    @Option(names = "--debug",
            description = "Debug logs, and a stack trace with any error.")
    boolean debug;

    @Option(names = "--no-color",
            description = "No colours in help (as with NO_COLOR set; there are none when stdout is not a terminal).")
    boolean noColor;
}
