package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.query.SortKeyCondition;
import dev.dynamo.query.WhereCondition;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Which items of a table or index a command works on: a partition key value, an optional sort-key
 * condition and filters, on the table or on a GSI or LSI. Shared by {@code query}, {@code copy} and
 * {@code verify}, so all accept exactly the same selection syntax.
 */
public final class SelectionOptions {
    @Option(names = {"--pk", "-pk"}, paramLabel = "VALUE",
            description = "Partition key value (of the index with -i). May also be given as the only positional argument.")
    String partitionOption;

    @Parameters(arity = "0..1", paramLabel = "PK", description = "Partition key value, as an alternative to --pk.")
    String partitionPositional;

    @Option(names = {"-i", "--index"}, paramLabel = "INDEX", description = "Query this GSI or LSI instead of the table.")
    String index;

    @Option(names = {"--sk", "-sk"}, paramLabel = "PREFIX", description = "Sort key begins with PREFIX (string or binary keys).")
    String skPrefix;

    @Option(names = "--sk-eq", paramLabel = "VALUE", description = "Sort key = VALUE.")
    String skEq;

    @Option(names = "--sk-lt", paramLabel = "VALUE", description = "Sort key < VALUE.")
    String skLt;

    @Option(names = "--sk-le", paramLabel = "VALUE", description = "Sort key <= VALUE.")
    String skLe;

    @Option(names = "--sk-gt", paramLabel = "VALUE", description = "Sort key > VALUE.")
    String skGt;

    @Option(names = "--sk-ge", paramLabel = "VALUE", description = "Sort key >= VALUE.")
    String skGe;

    // hideParamSyntax: picocli would show the label once per value, "VALUE VALUE".
    @Option(names = "--sk-between", arity = "2", paramLabel = "LOW HIGH", hideParamSyntax = true,
            description = "Sort key between LOW and HIGH, both included.")
    List<String> skBetween;

    @Option(names = "--where", paramLabel = "CONDITION",
            description = "Filter: PATH OP VALUE (see below). Repeat for AND. Saves transfer, not read capacity.")
    List<String> where = new ArrayList<>();

    /**
     * The partition key value, from {@code --pk} or the positional argument; null when neither is given.
     *
     * @throws DynamoException (usage) when both are given
     */
    String partition() {
        if (partitionOption != null && partitionPositional != null) {
            throw DynamoException.usage("the partition key is given twice (--pk " + partitionOption + " and " + partitionPositional
                    + "): give it once, as --pk VALUE or as the positional argument");
        }
        return partitionOption != null ? partitionOption : partitionPositional;
    }

    String index() {
        return index;
    }

    /** The options given that narrow a partition and so need one: {@code -i}, {@code --sk...}, {@code --where}. */
    List<String> narrowingOptions() {
        List<String> given = new ArrayList<>();
        if (index != null) {
            given.add("-i/--index");
        }
        for (SortKeyCondition condition : sortKeyConditions()) {
            given.add(condition.operator().option());
        }
        if (!where.isEmpty()) {
            given.add("--where");
        }
        return given;
    }

    /**
     * The sort-key condition, or null.
     *
     * @throws DynamoException (usage) when more than one is given
     */
    SortKeyCondition sortKeyCondition() {
        List<SortKeyCondition> conditions = sortKeyConditions();
        if (conditions.size() > 1) {
            throw DynamoException.usage("only one sort-key condition is allowed, but "
                    + String.join(" and ", conditions.stream().map(c -> c.operator().option()).toList())
                    + " were given; use --sk-between LOW HIGH for a range");
        }
        return conditions.isEmpty() ? null : conditions.get(0);
    }

    /** The {@code --where} filters, parsed. */
    List<WhereCondition> whereConditions() {
        return where.stream().map(WhereCondition::parse).toList();
    }

    private List<SortKeyCondition> sortKeyConditions() {
        List<SortKeyCondition> conditions = new ArrayList<>();
        addIf(conditions, SortKeyCondition.Operator.BEGINS_WITH, skPrefix);
        addIf(conditions, SortKeyCondition.Operator.EQ, skEq);
        addIf(conditions, SortKeyCondition.Operator.LT, skLt);
        addIf(conditions, SortKeyCondition.Operator.LE, skLe);
        addIf(conditions, SortKeyCondition.Operator.GT, skGt);
        addIf(conditions, SortKeyCondition.Operator.GE, skGe);
        if (skBetween != null) {
            // picocli appends the values of a repeated --sk-between: only one range is allowed.
            for (int i = 0; i + 1 < skBetween.size(); i += 2) {
                conditions.add(SortKeyCondition.between(skBetween.get(i), skBetween.get(i + 1)));
            }
        }
        return conditions;
    }

    private static void addIf(List<SortKeyCondition> conditions, SortKeyCondition.Operator operator, String value) {
        if (value != null) {
            conditions.add(SortKeyCondition.of(operator, value));
        }
    }
}
