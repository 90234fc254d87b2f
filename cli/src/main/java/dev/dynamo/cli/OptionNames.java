package dev.dynamo.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which names of an option the help shows, and how. An option is documented by its {@code --long} names, the first
 * declared one leading ({@code --source, --src}), and by its one-letter name ({@code -t}); its single-dash
 * multi-letter names ({@code -src}, {@code -tgt}, {@code -pk}, {@code -sk}, {@code -head}: how dynamo-cmdline, the
 * Python tool dynamo descends from, spelled them) are accepted everywhere but named only in one line of help,
 * {@link #legacyLine}, not in every synopsis and option row.
 */
final class OptionNames {
    private OptionNames() {
    }

    /** A single-dash name of more than one letter, such as {@code -src}. */
    static boolean isLegacy(String name) {
        return name.length() > 2 && name.startsWith("-") && !name.startsWith("--");
    }

    /** The option's {@code --long} names in declared order: {@code [--source, --src]}. */
    static List<String> longNames(OptionSpec option) {
        List<String> names = new ArrayList<>();
        for (String name : option.names()) {
            if (name.startsWith("--")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The one-letter name, {@code -t}, or null. */
    static String shortName(OptionSpec option) {
        for (String name : option.names()) {
            if (name.length() == 2 && name.startsWith("-")) {
                return name;
            }
        }
        return null;
    }

    /** The name a synopsis shows: the first {@code --long} name, else the shortest. */
    static String synopsisName(OptionSpec option) {
        List<String> longNames = longNames(option);
        return longNames.isEmpty() ? option.shortestName() : longNames.get(0);
    }

    /** True when picocli's own rendering would not lead with {@link #synopsisName} or would show a legacy name. */
    static boolean needsRewrite(OptionSpec option) {
        List<String> longNames = longNames(option);
        return longNames.size() > 1 || option.names().length > longNames.size() + (shortName(option) == null ? 0 : 1);
    }

    /**
     * The legacy names of these options, each with the option it stands for where that is not plain from the name:
     * {@code -src for --source}, {@code -pk}. Distinct, in the order given.
     */
    static List<String> legacyNames(List<OptionSpec> options) {
        Set<String> described = new LinkedHashSet<>();
        for (OptionSpec option : options) {
            if (option.hidden()) {
                continue;
            }
            String primary = synopsisName(option);
            for (String name : option.names()) {
                if (isLegacy(name)) {
                    described.add(primary.equals("-" + name) ? name : name + " for " + primary);
                }
            }
        }
        return new ArrayList<>(described);
    }

    /**
     * The one line of help that names the legacy forms of the command's options (and for a command with
     * subcommands, of theirs), or null when there are none:
     * {@code The single-dash forms of dynamo-cmdline, the Python tool dynamo descends from, are accepted too: -src for --source, -pk.}
     */
    static String legacyLine(CommandSpec command) {
        List<OptionSpec> options = new ArrayList<>(command.options());
        for (var sub : command.subcommands().values()) {
            options.addAll(sub.getCommandSpec().options());
        }
        List<String> names = legacyNames(options);
        if (names.isEmpty()) {
            return null;
        }
        return "The single-dash forms of dynamo-cmdline, the Python tool dynamo descends from, are accepted too: "
                + names.stream().collect(Collectors.joining(", ")) + ".";
    }
}
