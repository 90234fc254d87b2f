package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every error as one line on stderr, {@code dynamo: what is wrong and how to fix it}, and a
 * stack trace only with {@code --debug}; returns the documented exit code.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        String help = command.getCommandSpec().qualifiedName() + " --help";
        // dynamo: Unknown option: '--tabel' (see 'dynamo query --help')
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
            err.println("dynamo: " + dynamo.getMessage());
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
     * picocli checks required options before it complains about unknown ones, so a typo such as
     * {@code --tabel} would be reported as a missing {@code --table}: name the typo instead.
     */
    private static String mistake(ParameterException ex) {
        if (ex instanceof CommandLine.MissingParameterException) {
            ParseResult parsed = ex.getCommandLine().getParseResult();
            if (parsed != null) {
                for (String unmatched : parsed.unmatched()) {
                    if (unmatched.startsWith("-")) {
                        return "Unknown option: '" + unmatched + "'";
                    }
                }
            }
        }
        return ex.getMessage();
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
