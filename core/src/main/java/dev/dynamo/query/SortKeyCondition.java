package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeyType;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A condition on the sort key, as typed on the command line; values are typed against the key's
 * schema only when the query is built.
 *
 * @param operator which comparison
 * @param value    the value (the lower bound for BETWEEN)
 * @param upper    the upper bound for BETWEEN, null otherwise
 */
@API(status = STABLE, since = "0.1")
public record SortKeyCondition(Operator operator, String value, String upper) {

    /** The comparisons a key condition allows. */
    public enum Operator {
        BEGINS_WITH("--sk"), EQ("--sk-eq"), LT("--sk-lt"), LE("--sk-le"), GT("--sk-gt"), GE("--sk-ge"), BETWEEN("--sk-between");

        private final String option;

        Operator(String option) {
            this.option = option;
        }

        /** The command-line option that asks for it. */
        public String option() {
            return option;
        }
    }

    public static SortKeyCondition of(Operator operator, String value) {
        return new SortKeyCondition(operator, value, null);
    }

    public static SortKeyCondition between(String lower, String upper) {
        return new SortKeyCondition(Operator.BETWEEN, lower, upper);
    }

    /**
     * The key condition fragment, e.g. {@code begins_with(#sk, :sk)}, adding its values to {@code values}.
     *
     * @throws DynamoException (usage) when a value does not fit the sort key's type
     */
    String expression(KeyAttribute sortKey, String indexText, Map<String, AttributeValue> values) {
        KeyType type = sortKey.type();
        String what = "sort key '" + sortKey.name() + "'" + indexText;
        if (operator == Operator.BEGINS_WITH && type == KeyType.N) {
            throw DynamoException.usage("--sk matches a prefix (begins_with), which DynamoDB allows only on string and binary "
                    + "keys, but " + what + " is a number: use --sk-eq, --sk-lt, --sk-le, --sk-gt, --sk-ge or --sk-between");
        }
        values.put(":sk", type.parse(value, what));
        if (operator == Operator.BETWEEN) {
            values.put(":sk2", type.parse(upper, what));
        }
        return switch (operator) {
            case BEGINS_WITH -> "begins_with(#sk, :sk)";
            case EQ -> "#sk = :sk";
            case LT -> "#sk < :sk";
            case LE -> "#sk <= :sk";
            case GT -> "#sk > :sk";
            case GE -> "#sk >= :sk";
            case BETWEEN -> "#sk BETWEEN :sk AND :sk2";
        };
    }
}
