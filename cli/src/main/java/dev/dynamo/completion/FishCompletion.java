package dev.dynamo.completion;

import dev.dynamo.completion.CompletionModel.Command;
import dev.dynamo.completion.CompletionModel.Option;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The fish completion script: one {@code complete} line per command and per option, with the first sentence of its
 * description. picocli has no fish generator; this one reads the same {@link CompletionModel} as bash's.
 */
public final class FishCompletion {
    private FishCompletion() {
    }

    public static String fish(CompletionModel model) {
        String p = model.program();
        String commands = model.commands().stream().map(Command::name).collect(Collectors.joining(" "));
        StringBuilder s = new StringBuilder();
        s.append("# fish completion for ").append(p).append(", printed by '").append(p).append(" completion fish'.\n")
                .append("# Environments, profiles and table names come from '").append(p)
                .append(" __complete' (a table's only when its environment is on the line).\n\n");
        s.append(FUNCTIONS.replace("DYNAMO", p).replace("COMMANDS", commands));
        s.append("complete -c ").append(p).append(" -e\n");
        s.append("complete -c ").append(p).append(" -f\n");
        for (Command command : model.commands()) {
            s.append("complete -c ").append(p).append(" -n '__").append(p).append("_command_is \"\"' -a ")
                    .append(command.name()).append(" -d ").append(quote(command.description())).append('\n');
        }
        options(s, p, "", model.root().options());
        for (Command command : model.commands()) {
            options(s, p, command.name(), command.options());
            if (!command.arguments().isEmpty()) {
                s.append("complete -c ").append(p).append(" -n '__").append(p).append("_command_is ").append(command.name())
                        .append("' -a ").append(quote(String.join(" ", command.arguments()))).append('\n');
            }
        }
        return s.toString();
    }

    private static void options(StringBuilder s, String p, String command, List<Option> options) {
        for (Option option : options) {
            s.append("complete -c ").append(p).append(" -n '__").append(p).append("_command_is ")
                    .append(command.isEmpty() ? "\"\"" : command).append("'");
            for (String name : option.names()) {
                if (name.startsWith("--")) {
                    s.append(" -l ").append(name.substring(2));
                } else if (name.length() == 2) {
                    s.append(" -s ").append(name.substring(1));
                } else {
                    s.append(" -o ").append(name.substring(1));
                }
            }
            switch (option.value()) {
                case NONE -> { }
                case WORDS -> s.append(" -x -a ").append(quote(String.join(" ", option.words())));
                case ENVIRONMENT -> s.append(" -x -a '(__").append(p).append("_ask environments)'");
                case PROFILE -> s.append(" -x -a '(__").append(p).append("_ask profiles)'");
                case TABLE -> s.append(" -x -a '(__").append(p).append("_tables ").append(option.names().get(0)).append(")'");
                case FILE -> s.append(" -r -F");
                case TEXT -> s.append(" -x");
            }
            s.append(" -d ").append(quote(option.description())).append('\n');
        }
    }

    /** A fish single-quoted string: only \\ and ' are special. */
    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static final String FUNCTIONS = """
            # The command on the line ('' for none yet): the first word after the program that is one.
            function __DYNAMO_command
                for word in (commandline -opc)[2..-1]
                    if contains -- $word COMMANDS
                        echo $word
                        return
                    end
                end
                echo ''
            end

            function __DYNAMO_command_is
                test (__DYNAMO_command) = "$argv[1]"
            end

            # What dynamo __complete prints; its stderr is discarded, so nothing reaches the prompt.
            function __DYNAMO_ask
                command DYNAMO __complete $argv 2>/dev/null
            end

            # The tables of the environment named on the line, for the option $argv[1].
            function __DYNAMO_tables
                __DYNAMO_ask tables --option=$argv[1] -- (commandline -opc)[2..-1]
            end

            """;
}
