package dev.dynamo.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class WhereConditionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a = 1        | =",
        "a != 1       | !=",
        "a <> 1       | !=",
        "a < 1        | <",
        "a <= 1       | <=",
        "a > 1        | >",
        "a >= 1       | >=",
        "a=1          | =",
        "a>=1         | >=",
        "a begins_with 1 | begins_with",
        "a BEGINS_WITH 1 | begins_with",
        "a contains 1 | contains",
    })
    void readsEveryBinaryOperator(String text, String operator) {
        WhereCondition condition = WhereCondition.parse(text);
        assertThat(condition.path()).isEqualTo("a");
        assertThat(condition.operator()).isEqualTo(operator);
        assertThat(condition.value()).isEqualTo(AttributeValue.fromN("1"));
    }

    @Test
    void readsExistsAndNotExists_withoutValue() {
        assertThat(WhereCondition.parse("email exists")).isEqualTo(new WhereCondition("email", "exists", null));
        assertThat(WhereCondition.parse("  email   NOT_EXISTS ")).isEqualTo(new WhereCondition("email", "not_exists", null));
    }

    @Test
    void readsABareWordAsString() {
        assertThat(WhereCondition.parse("status = active").value()).isEqualTo(AttributeValue.fromS("active"));
        assertThat(WhereCondition.parse("status = 12abc").value()).isEqualTo(AttributeValue.fromS("12abc"));
        assertThat(WhereCondition.parse("status = exists").value()).isEqualTo(AttributeValue.fromS("exists"));
    }

    @Test
    void readsQuotedValuesAsStrings_withDoubleOrSingleQuotes() {
        assertThat(WhereCondition.parse("name = \"two words\"").value()).isEqualTo(AttributeValue.fromS("two words"));
        assertThat(WhereCondition.parse("name = 'it is'").value()).isEqualTo(AttributeValue.fromS("it is"));
        assertThat(WhereCondition.parse("code = \"100\"").value()).isEqualTo(AttributeValue.fromS("100"));
        assertThat(WhereCondition.parse("flag = 'true'").value()).isEqualTo(AttributeValue.fromS("true"));
        assertThat(WhereCondition.parse("note = \"\"").value()).isEqualTo(AttributeValue.fromS(""));
        assertThat(WhereCondition.parse("note = \"a = b\"").value()).isEqualTo(AttributeValue.fromS("a = b"));
    }

    @Test
    void readsNumbersExactly_asWritten() {
        assertThat(WhereCondition.parse("n = 12345678901234567890.123456789").value())
                .isEqualTo(AttributeValue.fromN("12345678901234567890.123456789"));
        assertThat(WhereCondition.parse("n = -1.5e3").value()).isEqualTo(AttributeValue.fromN("-1.5e3"));
        assertThat(WhereCondition.parse("n = .5").value()).isEqualTo(AttributeValue.fromN(".5"));
        assertThat(WhereCondition.parse("n = 0").value()).isEqualTo(AttributeValue.fromN("0"));
    }

    @Test
    void readsBooleansAndNull() {
        assertThat(WhereCondition.parse("paid = true").value()).isEqualTo(AttributeValue.fromBool(true));
        assertThat(WhereCondition.parse("paid = false").value()).isEqualTo(AttributeValue.fromBool(false));
        assertThat(WhereCondition.parse("deleted = null").value()).isEqualTo(AttributeValue.fromNul(true));
    }

    @Test
    void readsNestedPaths() {
        assertThat(WhereCondition.parse("address.city = Paris").path()).isEqualTo("address.city");
        assertThat(WhereCondition.parse("items[0] = x").path()).isEqualTo("items[0]");
        assertThat(WhereCondition.parse("a.b[2][10].c exists").path()).isEqualTo("a.b[2][10].c");
    }

    @Test
    void writesTheFilterExpression_withPlaceholdersForEveryNameAndValue() {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String expression = WhereCondition.expression(List.of(
                WhereCondition.parse("address.city = Paris"),
                WhereCondition.parse("items[0].sku begins_with AB"),
                WhereCondition.parse("tags contains red"),
                WhereCondition.parse("status <> closed"),
                WhereCondition.parse("email exists"),
                WhereCondition.parse("deleted not_exists"),
                WhereCondition.parse("total >= 100")), names, values);
        assertThat(expression).isEqualTo("#w0_0.#w0_1 = :w0"
                + " AND begins_with(#w1_0[0].#w1_1, :w1)"
                + " AND contains(#w2_0, :w2)"
                + " AND #w3_0 <> :w3"
                + " AND attribute_exists(#w4_0)"
                + " AND attribute_not_exists(#w5_0)"
                + " AND #w6_0 >= :w6");
        assertThat(names).containsOnly(Map.entry("#w0_0", "address"), Map.entry("#w0_1", "city"), Map.entry("#w1_0", "items"),
                Map.entry("#w1_1", "sku"), Map.entry("#w2_0", "tags"), Map.entry("#w3_0", "status"), Map.entry("#w4_0", "email"),
                Map.entry("#w5_0", "deleted"), Map.entry("#w6_0", "total"));
        assertThat(values).containsOnly(Map.entry(":w0", AttributeValue.fromS("Paris")), Map.entry(":w1", AttributeValue.fromS("AB")),
                Map.entry(":w2", AttributeValue.fromS("red")), Map.entry(":w3", AttributeValue.fromS("closed")),
                Map.entry(":w6", AttributeValue.fromN("100")));
    }

    @Test
    void keepsReservedWordsAndOddNamesOutOfTheExpression() {
        Map<String, String> names = new HashMap<>();
        String expression = WhereCondition.expression(List.of(WhereCondition.parse("size = 1"),
                WhereCondition.parse("my-attr#1 = 2")), names, new HashMap<>());
        assertThat(expression).isEqualTo("#w0_0 = :w0 AND #w1_0 = :w1");
        assertThat(names).containsEntry("#w0_0", "size").containsEntry("#w1_0", "my-attr#1");
    }

    @Test
    void refusesText_withoutOperator() {
        assertUsage("status", "cannot read --where 'status': expected PATH OP VALUE with OP one of = != < <= > >= "
                + "begins_with contains, or PATH exists / PATH not_exists (e.g. --where 'status = active')");
        assertUsage("status ~ 1", "cannot read --where 'status ~ 1': expected PATH OP VALUE");
        assertUsage("= active", "cannot read --where '= active': expected PATH OP VALUE");
        assertUsage("", "cannot read --where '': expected PATH OP VALUE");
    }

    @Test
    void refusesAMissingOrExtraValue() {
        assertUsage("status =", "cannot read --where 'status =': = needs a value after it");
        assertUsage("name begins_with", "cannot read --where 'name begins_with': begins_with needs a value after it");
        assertUsage("email exists yes", "cannot read --where 'email exists yes': exists takes no value");
    }

    @Test
    void refusesOperatorsItDoesNotKnow_insteadOfReadingThemAsPartOfTheValue() {
        // Before, 'status == shipped' compared status with the string "= shipped": exit 0 and no item.
        assertUsage("status == shipped", "cannot read --where 'status == shipped': '==' is not an operator (use = != < <= > >= "
                + "begins_with contains exists not_exists); to compare with a value that starts with '=', quote it: "
                + "status = \"= shipped\"");
        assertUsage("total >> 5", "cannot read --where 'total >> 5': '>>' is not an operator");
        assertUsage("total =< 5", "cannot read --where 'total =< 5': '=<' is not an operator");
        assertUsage("total => 5", "cannot read --where 'total => 5': '=>' is not an operator");
        assertUsage("total <>= 5", "cannot read --where 'total <>= 5': '<>=' is not an operator");
        assertUsage("a != !b", "cannot read --where 'a != !b': '!=!' is not an operator");
        // Quoted, such a value is just a string; after a word operator, too.
        assertThat(WhereCondition.parse("status = \"= shipped\"").value()).isEqualTo(AttributeValue.fromS("= shipped"));
        assertThat(WhereCondition.parse("note begins_with =x").value()).isEqualTo(AttributeValue.fromS("=x"));
    }

    @Test
    void refusesAnUnclosedQuote() {
        assertUsage("name = \"Jo", "cannot read --where 'name = \"Jo': the quoted value has no closing quote");
    }

    @Test
    void refusesABadPath() {
        assertUsage("a..b = 1", "cannot read --where 'a..b = 1': 'a..b' is not an attribute path (name, a.b for a map, a[0] for a list)");
        assertUsage("a[x] = 1", "cannot read --where 'a[x] = 1': 'a[x]' is not an attribute path");
        assertUsage("a. = 1", "cannot read --where 'a. = 1': 'a.' is not an attribute path");
    }

    private static void assertUsage(String text, String messageStart) {
        assertThatThrownBy(() -> WhereCondition.parse(text))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(messageStart);
    }
}
