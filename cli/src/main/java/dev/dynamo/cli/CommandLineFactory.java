package dev.dynamo.cli;

import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.CopyMode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Builds the one {@link CommandLine} used by {@code main} and by every command test: converters,
 * error handling, exit codes, case-insensitive enum values, the help's option order, and the out/err writers.
 */
public final class CommandLineFactory {
    private CommandLineFactory() {
    }

    public static CommandLine create(CliContext context, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new DynamoCommand(context));
        ErrorHandler errors = new ErrorHandler(context.programWord());
        List<String> sections = new ArrayList<>(commandLine.getHelpSectionKeys());
        sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING),
                OrderedOptionsHelp.LEGACY_NAMES_SECTION);
        Map<String, CommandLine.IHelpSectionRenderer> renderers = new HashMap<>(commandLine.getHelpSectionMap());
        renderers.put(OrderedOptionsHelp.LEGACY_NAMES_SECTION, OrderedOptionsHelp::legacyNamesSection);
        commandLine.setOut(out)
                .setErr(err)
                .setColorScheme(colorScheme(context.colors()))
                .setHelpFactory(OrderedOptionsHelp::new)
                .setHelpSectionKeys(sections)
                .setHelpSectionMap(renderers)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(CopyCommand.SummaryFormat.class, choice(CopyCommand.SummaryFormat.class, "a summary format"))
                .registerConverter(CopyMode.class, choice(CopyMode.class, "a copy mode"))
                .registerConverter(BackupMode.class, choice(BackupMode.class, "a backup kind"))
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors)
                .setExecutionStrategy(CommandLineFactory::execute);
        return commandLine;
    }

    /**
     * picocli's colours when {@code colors}, else none. Decided here rather than by picocli's {@code Ansi.AUTO}, which
     * also colours a pipe when {@code CLICOLOR_FORCE} is set and cannot be tested without a terminal: colour only when
     * stdout is a terminal, {@code NO_COLOR} is unset or empty, {@code TERM} is not {@code dumb} (see
     * {@link CliContext#colors()}) and no {@code --no-color} was given (see {@link #execute}).
     */
    static CommandLine.Help.ColorScheme colorScheme(boolean colors) {
        return CommandLine.Help.defaultColorScheme(colors ? Ansi.ON : Ansi.OFF);
    }

    /**
     * An enum value as typed, in any case; the error lists the values as the help spells them, like
     * {@link FormatConverter}: {@code 'mirror' is not a copy mode; expected one of replace, merge}.
     */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> choice(Class<E> type, String what) {
        return text -> {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(text.trim())) {
                    return value;
                }
            }
            throw new CommandLine.TypeConversionException("'" + text + "' is not " + what + "; expected one of "
                    + Arrays.stream(type.getEnumConstants()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        };
    }

    private static int execute(ParseResult parseResult) {
        int verbosity = 0;
        boolean debug = false;
        boolean quiet = false;
        boolean noColor = false;
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            OptionSpec verbose = level.matchedOption("--verbose");
            if (verbose != null) {
                verbosity += ((boolean[]) verbose.getValue()).length;
            }
            debug |= level.matchedOption("--debug") != null;
            quiet |= level.matchedOption("--quiet") != null;
            noColor |= level.matchedOption("--no-color") != null;
        }
        if (noColor) {
            // Before the help is printed: picocli prints --help (and dynamo help) with each command's colour scheme.
            parseResult.commandSpec().commandLine().setColorScheme(colorScheme(false));
        }
        Logging.configure(verbosity, debug, quiet);
        // -q, -v, --debug and --no-color mean the same before or after the command (dynamo -q copy ... = dynamo copy -q ...): every
        // command reads its own mixin, so each gets what was given at any level.
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            CommandSpec mixin = level.commandSpec().mixins().get("verbosity");
            if (mixin != null && mixin.userObject() instanceof VerbosityOptions options) {
                options.quiet = quiet;
                options.debug = debug;
                options.verbose = new boolean[verbosity];
                options.noColor = noColor;
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }
}
