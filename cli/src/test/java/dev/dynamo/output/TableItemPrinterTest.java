package dev.dynamo.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TableItemPrinterTest {
    private final StringWriter out = new StringWriter();
    private final TableItemPrinter printer = new TableItemPrinter(new PrintWriter(out), List.of("pk", "sk"));

    @Test
    void printsKeyColumnsFirst_thenOthersByName_withAlignedCells() {
        printer.item(Map.of("pk", s("a"), "sk", AttributeValue.fromN("1"), "note", s("hello world"),
                "tags", AttributeValue.fromSs(List.of("x", "y"))));
        printer.item(Map.of("sk", AttributeValue.fromN("2"), "pk", s("bb"), "amount", AttributeValue.fromN("12.50")));
        printer.finish(2, 2);

        assertThat(out.toString()).isEqualTo("""
                pk | sk | amount | note        | tags
                ---+----+--------+-------------+----------
                a  | 1  |        | hello world | ["x","y"]
                bb | 2  | 12.50  |             |
                (2 items)
                """);
    }

    @Test
    void printsNonStringsAsCompactJson_andCutsLongCells() {
        printer.item(Map.of("pk", s("a\tb\nc"), "sk", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})),
                "flag", AttributeValue.fromBool(true), "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromNul(true))),
                "long", s("x".repeat(41))));
        printer.finish(1, 1);

        assertThat(out.toString()).isEqualTo("""
                pk    | sk     | flag | long                                     | m
                ------+--------+------+------------------------------------------+-----------
                a b c | "AQID" | true | xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… | {"k":null}
                (1 item)
                """);
    }

    @Test
    void namesAttributesFirstSeenAfterTheSample_atTheEnd() {
        for (int i = 0; i < TableItemPrinter.SAMPLE_ROWS; i++) {
            printer.item(Map.of("pk", s("p"), "sk", AttributeValue.fromN(Integer.toString(i))));
        }
        printer.item(Map.of("pk", s("p"), "sk", AttributeValue.fromN("200"), "zip", s("z"), "late", s("l")));
        printer.finish(201, 201);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2 + 201 + 2);
        assertThat(lines.get(0)).isEqualTo("pk | sk");
        assertThat(lines.get(2)).isEqualTo("p  | 0");
        assertThat(lines.get(202)).isEqualTo("p  | 200");
        assertThat(lines.subList(203, 205)).containsExactly("(201 items)",
                "(attributes not shown, first seen after the first 200 items: late, zip)");
    }

    @Test
    void printsOnlyTheCount_whenThereIsNoItem() {
        printer.finish(0, 0);
        assertThat(out.toString()).isEqualTo("(0 items)\n");
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }
}
