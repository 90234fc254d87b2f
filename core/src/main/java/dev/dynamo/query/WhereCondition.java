package dev.dynamo.query;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One {@code --where} condition: {@code PATH OP [VALUE]}, turned into a DynamoDB filter expression.
 *
 * <p>Syntax (documented in the README):
 * <pre>
 *   status = active            string (a bare word is a string)
 *   status = "two words"       string, double or single quotes
 *   amount >= 100              number (exact, any precision DynamoDB allows)
 *   code = "100"               a quoted number is a string
 *   paid = true | paid = false boolean
 *   deleted = null             the NULL type
 *   name begins_with "Jo"      prefix of a string or binary
 *   tags contains red          element of a set or list, or substring of a string
 *   address.city = Paris       nested map attribute; list elements as items[0]
 *   email exists | email not_exists
 * </pre>
 * Operators: {@code = != <> < <= > >= begins_with contains exists not_exists}. Several {@code --where}
 * options must all hold (AND). The filter runs after DynamoDB reads the items, so it saves transfer,
 * not read capacity.
 *
 * @param path     the attribute path, e.g. {@code address.city} or {@code items[0]}
 * @param operator the operator, lower case
 * @param value    the value, or null for exists / not_exists
 */
@API(status = STABLE, since = "0.1")
public record WhereCondition(String path, String operator, AttributeValue value) {
    private static final Pattern SYNTAX = Pattern.compile(
            "^\\s*([^\\s=!<>]+)\\s*(=|!=|<>|<=|>=|<|>|(?i:begins_with|contains|not_exists|exists)\\b)\\s*(.*?)\\s*$");
    private static final Pattern PATH_SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");
    private static final String OPERATOR_CHARS = "=!<>";
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * @throws DynamoException (usage) with the syntax when the text does not parse
     */
    public static WhereCondition parse(String text) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            throw DynamoException.usage("cannot read --where '" + text + "': expected PATH OP VALUE with OP one of "
                    + "= != < <= > >= begins_with contains, or PATH exists / PATH not_exists (e.g. --where 'status = active')");
        }
        String path = matcher.group(1);
        String operator = matcher.group(2).toLowerCase(Locale.ROOT);
        String rawValue = matcher.group(3);
        checkPath(path, text);
        boolean unary = operator.equals("exists") || operator.equals("not_exists");
        if (unary) {
            if (!rawValue.isEmpty()) {
                throw DynamoException.usage("cannot read --where '" + text + "': " + operator + " takes no value");
            }
            return new WhereCondition(path, operator, null);
        }
        if (rawValue.isEmpty()) {
            throw DynamoException.usage("cannot read --where '" + text + "': " + operator + " needs a value after it");
        }
        if (OPERATOR_CHARS.indexOf(rawValue.charAt(0)) >= 0 && !Character.isLetter(operator.charAt(0))) {
            // 'status == shipped' would otherwise compare status with the string "= shipped", and match nothing.
            String typed = operator + rawValue.replaceFirst("^([=!<>]+).*$", "$1");
            throw DynamoException.usage("cannot read --where '" + text + "': '" + typed + "' is not an operator (use = != < <= > >= "
                    + "begins_with contains exists not_exists); to compare with a value that starts with '" + rawValue.charAt(0)
                    + "', quote it: " + path + " " + operator + " \"" + rawValue + "\"");
        }
        return new WhereCondition(path, operator.equals("<>") ? "!=" : operator, value(rawValue, text));
    }

    private static void checkPath(String path, String text) {
        for (String segment : path.split("\\.", -1)) {
            if (!PATH_SEGMENT.matcher(segment).matches()) {
                throw DynamoException.usage("cannot read --where '" + text + "': '" + path
                        + "' is not an attribute path (name, a.b for a map, a[0] for a list)");
            }
        }
    }

    private static AttributeValue value(String raw, String text) {
        if (raw.length() >= 2 && (raw.startsWith("\"") && raw.endsWith("\"") || raw.startsWith("'") && raw.endsWith("'"))) {
            return AttributeValue.fromS(raw.substring(1, raw.length() - 1));
        }
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            throw DynamoException.usage("cannot read --where '" + text + "': the quoted value has no closing quote");
        }
        switch (raw) {
            case "true":
                return AttributeValue.fromBool(true);
            case "false":
                return AttributeValue.fromBool(false);
            case "null":
                return AttributeValue.fromNul(true);
            default:
                break;
        }
        if (NUMBER.matcher(raw).matches()) {
            new BigDecimal(raw); // cannot fail after the pattern; kept as written, never through double
            return AttributeValue.fromN(raw);
        }
        return AttributeValue.fromS(raw);
    }

    /** The filter expression for all conditions (AND), filling in names and values. */
    static String expression(List<WhereCondition> conditions, Map<String, String> names, Map<String, AttributeValue> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            parts.add(conditions.get(i).fragment(i, names, values));
        }
        return String.join(" AND ", parts);
    }

    private String fragment(int index, Map<String, String> names, Map<String, AttributeValue> values) {
        String placeholderPath = placeholders(index, names);
        String valueName = ":w" + index;
        if (value != null) {
            values.put(valueName, value);
        }
        return switch (operator) {
            case "exists" -> "attribute_exists(" + placeholderPath + ")";
            case "not_exists" -> "attribute_not_exists(" + placeholderPath + ")";
            case "begins_with" -> "begins_with(" + placeholderPath + ", " + valueName + ")";
            case "contains" -> "contains(" + placeholderPath + ", " + valueName + ")";
            case "!=" -> placeholderPath + " <> " + valueName;
            default -> placeholderPath + " " + operator + " " + valueName;
        };
    }

    private String placeholders(int index, Map<String, String> names) {
        StringBuilder out = new StringBuilder();
        String[] segments = path.split("\\.");
        for (int s = 0; s < segments.length; s++) {
            Matcher matcher = PATH_SEGMENT.matcher(segments[s]);
            matcher.matches();
            String placeholder = "#w" + index + "_" + s;
            names.put(placeholder, matcher.group(1));
            if (s > 0) {
                out.append('.');
            }
            out.append(placeholder).append(matcher.group(2));
        }
        return out.toString();
    }
}
