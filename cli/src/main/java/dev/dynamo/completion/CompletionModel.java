package dev.dynamo.completion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What a completion script knows without running {@code dynamo}: the commands, their options, and what each option's
 * value is, read once from the picocli model. The scripts bake it in, so completing a command, an option or an enum value
 * starts no JVM; only environments, profiles and table names are asked of {@code dynamo __complete}.
 */
public record CompletionModel(String program, Command root, List<Command> commands) {

    /** What an option's value (or a command's argument) completes to. */
    public enum Value {
        /** A flag: no value. */
        NONE,
        /** One of {@link Option#words()}. */
        WORDS,
        /** An environment of the environments file or an AWS profile ({@code -e}, {@code --source}, {@code --target}). */
        ENVIRONMENT,
        /** An AWS profile ({@code --profile}, {@code --s3-profile}, ...). */
        PROFILE,
        /** A table of the environment named on the line ({@code -t}, {@code --target-table}). */
        TABLE,
        /** A file or folder name. */
        FILE,
        /** Free text: nothing to propose. */
        TEXT
    }

    /** A command: its options, and the words its first argument completes to (none: it takes no word from a list). */
    public record Command(String name, String description, List<Option> options, List<String> arguments) {
        public Command {
            options = List.copyOf(options);
            arguments = List.copyOf(arguments);
        }
    }

    /** One option, all its names, the first sentence of its description, and what its value completes to. */
    public record Option(List<String> names, String description, Value value, List<String> words) {
        public Option {
            names = List.copyOf(names);
            words = List.copyOf(words);
        }
    }

    public CompletionModel {
        commands = List.copyOf(commands);
    }

    /** The model of the root command and its visible subcommands ({@code help} included, hidden ones left out). */
    public static CompletionModel of(CommandSpec root) {
        List<String> names = root.subcommands().entrySet().stream()
                .filter(e -> e.getKey().equals(e.getValue().getCommandName()) && !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(java.util.Map.Entry::getKey)
                .toList();
        List<Command> commands = new ArrayList<>();
        for (String name : names) {
            CommandSpec spec = root.subcommands().get(name).getCommandSpec();
            List<String> arguments = spec.userObject() instanceof CommandLine.HelpCommand ? names : argumentWords(spec);
            commands.add(new Command(name, firstSentence(spec.usageMessage().description()), options(spec), arguments));
        }
        return new CompletionModel(root.name(), new Command(root.name(), firstSentence(root.usageMessage().description()),
                options(root), names), commands);
    }

    private static List<Option> options(CommandSpec spec) {
        List<Option> options = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            List<String> names = List.of(option.names());
            Value value = value(option);
            options.add(new Option(names, firstSentence(option.description()), value,
                    value == Value.WORDS ? words(option.completionCandidates(), option.type()) : List.of()));
        }
        options.sort(Comparator.comparing(CompletionModel::longName));
        return options;
    }

    private static Value value(OptionSpec option) {
        if (option.arity().max() == 0) {
            return Value.NONE;
        }
        String name = longName(option.names());
        if (option.paramLabel().equals("ENV") || name.equals("--allow-protected-target")) {
            return Value.ENVIRONMENT;
        }
        if (name.endsWith("profile")) {
            return Value.PROFILE;
        }
        if (option.paramLabel().equals("TABLE") || name.equals("--target-table")) {
            return Value.TABLE;
        }
        if (option.completionCandidates() != null) {
            return Value.WORDS;
        }
        if (Path.class.isAssignableFrom(option.type()) || java.io.File.class.isAssignableFrom(option.type())) {
            return Value.FILE;
        }
        return Value.TEXT;
    }

    private static List<String> argumentWords(CommandSpec spec) {
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            if (parameter.completionCandidates() != null) {
                return words(parameter.completionCandidates(), parameter.type());
            }
        }
        return List.of();
    }

    /** Enum constants as the help spells them (lower case: the values are accepted in any case). */
    private static List<String> words(Iterable<String> candidates, Class<?> type) {
        List<String> words = new ArrayList<>();
        for (String candidate : candidates) {
            words.add(type.isEnum() ? candidate.toLowerCase(Locale.ROOT) : candidate);
        }
        return words;
    }

    private static String longName(Option option) {
        return longName(option.names().toArray(String[]::new));
    }

    private static String longName(String[] names) {
        String longest = names[0];
        for (String name : names) {
            if (name.startsWith("--") && (!longest.startsWith("--") || name.length() > longest.length())) {
                longest = name;
            }
        }
        return longest;
    }

    /** The first sentence, without picocli's variables: "Default: ${DEFAULT-VALUE}." and the like are left out. */
    static String firstSentence(String[] description) {
        String text = String.join(" ", description).replaceAll("\\$\\{[^}]*}", "").replaceAll("\\s+", " ").strip();
        int end = text.indexOf(". ");
        String sentence = end >= 0 ? text.substring(0, end) : text;
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }
}
