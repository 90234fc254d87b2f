package dev.dynamo.cli;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help of every command, with one change to how {@code sortOptions = false} lists options: picocli puts the
 * options that have an {@code order} after all the others (after {@code -v}, {@code -q}, {@code -h}, ...); here
 * they stand where the first of them is declared, sorted by their {@code order}. A mixin's options are declared in
 * one block, where the mixin is; with {@code order}, a command lists its own options between them, as {@code copy}
 * lists {@code --max-wcu} between {@link BulkOptions}' {@code --max-rcu} and {@code --max-retries}. A command
 * whose options have no {@code order} lists them as picocli does: in declaration order.
 */
final class OrderedOptionsHelp extends Help {
    /** An option's {@code order} when it has none (picocli's {@code OptionSpec.DEFAULT_ORDER}, which is not public). */
    private static final int NO_ORDER = -1;

    OrderedOptionsHelp(CommandSpec spec, ColorScheme colorScheme) {
        super(spec, colorScheme);
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
