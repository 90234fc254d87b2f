package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every error as one line on stderr, {@code dynamo: what is wrong and how to fix it}, and a
 * stack trace only with {@code --debug}; returns the documented exit code.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** What the engine's messages name as the command to run: {@code list the tables there with: dynamo tables -e dev}. */
    private static final String ENGINE_COMMAND = "with: dynamo ";

    private final String program;

    /** @param program the program as a shell word ({@link CliContext#programWord()}): the commands printed start with it */
    ErrorHandler(String program) {
        this.program = program;
    }

    ErrorHandler() {
        this(CliContext.DEFAULT_PROGRAM);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        String help = program + command.getCommandSpec().qualifiedName().substring(command.getCommandSpec().root().name().length())
                + " --help";
        // dynamo: unknown option '--tabel'; did you mean '--table'? (see 'dynamo query --help')
        err.println("dynamo: " + firstLine(mistake(ex)) + " (see '" + help + "')");
        if (debugRequested(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE.code();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        boolean debug = debugRequested(parseResult.originalArgs().toArray(String[]::new));
        int exitCode;
        if (ex instanceof DynamoException dynamo) {
            // dynamo: table 'Orders' not found in 'dev' (us-east-1); list the tables there with: dynamo tables -e dev
            // The engine does not know how it was run; a command it names starts with the program as invoked.
            err.println("dynamo: " + dynamo.getMessage().replace(ENGINE_COMMAND, "with: " + program + " "));
            exitCode = dynamo.exitCode().code();
        } else {
            // dynamo: internal error: NullPointerException: ... (run again with --debug for the stack trace)
            err.println("dynamo: internal error: " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
                    + (debug ? "" : " (run again with --debug for the stack trace, and please report it)"));
            exitCode = ExitCode.FAILURE.code();
        }
        if (debug) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return exitCode;
    }

    /**
     * What was mistyped, in the tool's words: {@code unknown command 'exprot'; did you mean 'export'?} or
     * {@code unknown option '--tabel'; did you mean '--table'?}. picocli checks required options before it complains
     * about unknown ones, so a typo such as {@code --tabel} would be reported as a missing {@code --table}: name the
     * typo instead.
     */
    private static String mistake(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof CommandLine.MissingParameterException) {
            ParseResult parsed = ex.getCommandLine().getParseResult();
            if (parsed != null) {
                for (String unmatched : parsed.unmatched()) {
                    if (unmatched.startsWith("-")) {
                        return unknownOption(unmatched, spec);
                    }
                }
            }
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (first.startsWith("-") && first.length() > 1) {
                return unknownOption(first, spec);
            }
            if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
                return "unknown command '" + first + "'"
                        + Nearest.to(first, spec.subcommands().keySet()).map(name -> "; did you mean '" + name + "'?").orElse("");
            }
        }
        // dynamo help exprot: picocli's help command says "Unknown subcommand 'exprot'."
        String message = ex.getMessage() == null ? "" : ex.getMessage();
        if (message.startsWith("Unknown subcommand '") && message.endsWith("'.")) {
            String typed = message.substring("Unknown subcommand '".length(), message.length() - 2);
            return "unknown command '" + typed + "'"
                    + Nearest.to(typed, spec.subcommands().keySet()).map(name -> "; did you mean '" + name + "'?").orElse("");
        }
        return ex.getMessage();
    }

    private static String unknownOption(String typed, CommandSpec spec) {
        String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()));
            }
        }
        return "unknown option '" + name + "'" + Nearest.to(name, names).map(near -> "; did you mean '" + near + "'?").orElse("");
    }

    private static boolean debugRequested(String[] args) {
        for (String arg : args) {
            if (arg.equals("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
