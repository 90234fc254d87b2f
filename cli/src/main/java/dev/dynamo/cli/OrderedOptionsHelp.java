package dev.dynamo.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help of every command, with three changes to picocli's:
 * <ul>
 * <li>Options lead with their {@code --long} name (see {@link OptionNames}). picocli shows an option by its shortest
 * name, so a synopsis read {@code -src=ENV -t=TABLE -pk=VALUE} where the README teaches {@code --source},
 * {@code --table}, {@code --pk}. Here the synopsis shows the first {@code --long} name ({@code --table=TABLE}; one-letter
 * flags still cluster, {@code [-hqVv]}), and an option row shows the one-letter name and the {@code --long} names,
 * the first declared leading ({@code -t, --table=TABLE}, {@code --source, --src=ENV}). The single-dash forms of
 * dynamo-cmdline ({@code -src}, {@code -pk}, ...) are in neither: {@link #LEGACY_NAMES_SECTION} names them once.</li>
 * <li>How {@code sortOptions = false} lists options: picocli puts the options that have an {@code order} after all the
 * others (after {@code -v}, {@code -q}, {@code -h}, ...); here they stand where the first of them is declared, sorted
 * by their {@code order}. A mixin's options are declared in one block, where the mixin is; with {@code order}, a
 * command lists its own options between them, as {@code copy} lists {@code --max-wcu} between {@link BulkOptions}'
 * {@code --max-rcu} and {@code --max-retries}. A command whose options have no {@code order} lists them as picocli
 * does: in declaration order.</li>
 * <li>The section {@link #LEGACY_NAMES_SECTION}, before the exit codes.</li>
 * </ul>
 */
final class OrderedOptionsHelp extends Help {
    /** The key of the help section that names the single-dash forms of dynamo-cmdline the command accepts. */
    static final String LEGACY_NAMES_SECTION = "legacyNames";

    /** An option's {@code order} when it has none (picocli's {@code OptionSpec.DEFAULT_ORDER}, which is not public). */
    private static final int NO_ORDER = -1;

    OrderedOptionsHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
    }

    /**
     * The section {@link #LEGACY_NAMES_SECTION}: a blank line, then the line of {@link OptionNames#legacyLine} wrapped
     * to the help's width; nothing for a command without such names.
     */
    static String legacyNamesSection(Help help) {
        String line = OptionNames.legacyLine(help.commandSpec());
        if (line == null) {
            return "";
        }
        int width = help.commandSpec().usageMessage().width();
        StringBuilder text = new StringBuilder(System.lineSeparator());
        StringBuilder current = new StringBuilder();
        for (String word : line.split(" ")) {
            if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                text.append(current).append(System.lineSeparator());
                current.setLength(0);
            }
            current.append(current.length() > 0 ? " " : "").append(word);
        }
        return text.append(current).append(System.lineSeparator()).toString();
    }

    @Override
    protected Ansi.Text createDetailedSynopsisOptionsText(Collection<ArgSpec> done, Comparator<OptionSpec> optionSort,
            boolean clusterBooleanOptions) {
        List<OptionSpec> shown = new ArrayList<>();
        for (OptionSpec option : commandSpec().options()) {
            boolean clustered = clusterBooleanOptions && option.arity().max() == 0 && OptionNames.shortName(option) != null;
            String name = OptionNames.synopsisName(option);
            // A copy that has only the name to show: picocli's synopsis shows an option by its shortest name.
            shown.add(clustered || option.shortestName().equals(name) && option.names().length == 1 ? option
                    : OptionSpec.builder(option).names(name).build());
        }
        return super.createDetailedSynopsisOptionsText(done, shown, optionSort, clusterBooleanOptions);
    }

    @Override
    public IOptionRenderer createDefaultOptionRenderer() {
        IOptionRenderer picocli = super.createDefaultOptionRenderer();
        return (option, parameterLabelRenderer, scheme) -> {
            Ansi.Text[][] rows = picocli.render(option, parameterLabelRenderer, scheme);
            List<String> longNames = OptionNames.longNames(option);
            if (!OptionNames.needsRewrite(option) || longNames.isEmpty() || rows.length == 0 || rows[0].length < 4) {
                return rows;
            }
            // picocli's first row: required marker, the one-letter name, its comma, the long names with the label.
            String shortName = OptionNames.shortName(option);
            rows[0][1] = scheme.optionText(shortName == null ? "" : shortName);
            rows[0][2] = scheme.ansi().new Text(shortName == null ? "" : ",");
            rows[0][3] = scheme.optionText(String.join(", ", longNames))
                    .concat(parameterLabelRenderer.renderParameterLabel(option, scheme.ansi(), scheme.optionParamStyles()));
            return rows;
        };
    }

    @Override
    public Comparator<OptionSpec> createDefaultOptionSort() {
        List<OptionSpec> declared = commandSpec().options();
        int first = 0;
        while (first < declared.size() && declared.get(first).order() == NO_ORDER) {
            first++;
        }
        if (commandSpec().usageMessage().sortOptions() || first == declared.size()) {
            return super.createDefaultOptionSort();
        }
        // The options without an order keep their declared order (the sort is stable): those before the first ordered
        // option come first, the others (-v, -q, --debug, -h, -V among them) last.
        Map<OptionSpec, Integer> rank = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            OptionSpec option = declared.get(i);
            rank.put(option, option.order() != NO_ORDER ? option.order() : i < first ? Integer.MIN_VALUE
                    : Integer.MAX_VALUE);
        }
        return Comparator.comparing(rank::get);
    }
}
