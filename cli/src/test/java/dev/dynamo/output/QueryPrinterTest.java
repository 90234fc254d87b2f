package dev.dynamo.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.query.QueryHead;
import dev.dynamo.query.QueryStats;
import dev.dynamo.query.ValueTally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class QueryPrinterTest {
    private final StringWriter out = new StringWriter();

    private QueryPrinter printer(OutputFormat format) {
        return new QueryPrinter(new PrintWriter(out), format, List.of("pk", "sk"));
    }

    @Test
    void printsTheSeedsCountLine_inSummary() {
        printer(OutputFormat.SUMMARY).count(new QueryStats(12, 15, 1, 0.5));
        printer(OutputFormat.SUMMARY).count(new QueryStats(1, 1, 1, 0.5));
        printer(OutputFormat.SUMMARY).count(new QueryStats(0, 3, 1, 0.5));
        printer(OutputFormat.SUMMARY).count(new QueryStats(50_000, 50_000, 9, 0.5));
        assertThat(out.toString()).isEqualTo("12 items queried.\n1 item queried.\nNo item was found.\n50,000 items queried.\n");
    }

    @Test
    void printsTheCountAsJson_inJsonFormats() {
        for (OutputFormat format : List.of(OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.DDB)) {
            printer(format).count(new QueryStats(12, 15, 2, 1.5));
        }
        assertThat(out.toString()).isEqualTo("{\"Count\":12,\"ScannedCount\":15}\n".repeat(3));
    }

    @Test
    void printsTheCountLine_inTable() {
        printer(OutputFormat.TABLE).count(new QueryStats(2, 2, 1, 0));
        assertThat(out.toString()).isEqualTo("2 items queried.\n");
    }

    @Test
    void printsTheHead_withTheCountOnlyWhenItCameFree() {
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1"));
        printer(OutputFormat.SUMMARY).head(new QueryHead(item, false, new QueryStats(1, 1, 1, 0.5)));
        printer(OutputFormat.SUMMARY).head(new QueryHead(item, true, new QueryStats(12_345, 20_000, 1, 128)));
        printer(OutputFormat.SUMMARY).head(new QueryHead(null, true, new QueryStats(0, 7, 1, 0.5)));
        assertThat(out.toString()).isEqualTo("""
                First item:
                {
                  "pk": "a",
                  "sk": 1
                }
                12,345 items queried.
                First item:
                {
                  "pk": "a",
                  "sk": 1
                }
                No item was found.
                """);
    }

    @Test
    void drawsTheQueryProgressLine_withSeparatorsAndPlurals() {
        assertThat(QueryProgressReporter.line(new QueryStats(0, 0, 0, 0), 0)).isEqualTo("querying 0 items 0/s 0 pages RCU 0");
        assertThat(QueryProgressReporter.line(new QueryStats(1, 1, 1, 0.5), 2.4)).isEqualTo("querying 1 item 2/s 1 page RCU 1");
        assertThat(QueryProgressReporter.line(new QueryStats(12_345, 12_345, 4, 1_543.5), 3_100.4))
                .isEqualTo("querying 12,345 items 3,100/s 4 pages RCU 1,544");
        assertThat(QueryProgressReporter.line(new QueryStats(1_200, 12_345, 4, 62), 3_100))
                .isEqualTo("querying 12,345 items 1,200 matched 3,100/s 4 pages RCU 62");
    }

    @Test
    void printsTheHeadItem_asPrettyPlainJson_keysFirst() {
        printer(OutputFormat.SUMMARY).headItem(Map.of("note", AttributeValue.fromS("x"), "sk", AttributeValue.fromN("1.50"),
                "pk", AttributeValue.fromS("a"), "tags", AttributeValue.fromNs(List.of("1", "2")),
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromBool(true)))));
        assertThat(out.toString()).isEqualTo("""
                First item:
                {
                  "pk": "a",
                  "sk": 1.50,
                  "m": {
                    "k": true
                  },
                  "note": "x",
                  "tags": [
                    1,
                    2
                  ]
                }
                """);
    }

    @Test
    void printsDistinctValuesWithCounts_andMissing_inSummary() {
        printer(OutputFormat.SUMMARY).unique(statusTally());
        assertThat(out.toString()).isEqualTo("""
                3 distinct values of status:
                  7       1
                  active  2
                  closed  1
                1 item has no status.
                """);
    }

    @Test
    void printsOneDistinctValue_inTheSingular() {
        ValueTally tally = new ValueTally("flag");
        tally.add(Map.of("flag", AttributeValue.fromBool(true)));
        tally.add(Map.of());
        tally.add(Map.of());
        printer(OutputFormat.SUMMARY).unique(tally);
        assertThat(out.toString()).isEqualTo("""
                1 distinct value of flag:
                  true  1
                2 items have no flag.
                """);
    }

    @Test
    void printsDistinctValuesAsATable_inTable() {
        printer(OutputFormat.TABLE).unique(statusTally());
        assertThat(out.toString()).isEqualTo("""
                status | count
                -------+------
                7      | 1
                active | 2
                closed | 1
                1 item has no status.
                """);
    }

    @Test
    void printsOneJsonLinePerDistinctValue_inJsonl() {
        printer(OutputFormat.JSONL).unique(statusTally());
        assertThat(out.toString()).isEqualTo("""
                {"value":7,"count":1}
                {"value":"active","count":2}
                {"value":"closed","count":1}
                """);
    }

    @Test
    void printsOneDocument_inJson() {
        printer(OutputFormat.JSON).unique(statusTally());
        assertThat(out.toString()).isEqualTo("""
                {
                  "attribute": "status",
                  "values": [
                    {
                      "value": 7,
                      "count": 1
                    },
                    {
                      "value": "active",
                      "count": 2
                    },
                    {
                      "value": "closed",
                      "count": 1
                    }
                  ],
                  "missing": 1
                }
                """);
    }

    @Test
    void printsTypedValues_inDdb() {
        printer(OutputFormat.DDB).unique(statusTally());
        assertThat(out.toString()).isEqualTo("""
                {
                  "attribute": "status",
                  "values": [
                    {
                      "value": {
                        "N": "7"
                      },
                      "count": 1
                    },
                    {
                      "value": {
                        "S": "active"
                      },
                      "count": 2
                    },
                    {
                      "value": {
                        "S": "closed"
                      },
                      "count": 1
                    }
                  ],
                  "missing": 1
                }
                """);
    }

    @Test
    void givesAnItemPrinter_forEveryFormatButSummary() {
        assertThat(printer(OutputFormat.TABLE).itemPrinter()).isInstanceOf(TableItemPrinter.class);
        assertThat(printer(OutputFormat.JSONL).itemPrinter()).isInstanceOf(JsonItemPrinter.class);
        assertThatThrownBy(() -> printer(OutputFormat.SUMMARY).itemPrinter()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void printsItemsAsAJsonArray_inJson() {
        ItemPrinter items = printer(OutputFormat.JSON).itemPrinter();
        items.item(Map.of("sk", AttributeValue.fromN("1"), "pk", AttributeValue.fromS("a")));
        items.item(Map.of("pk", AttributeValue.fromS("b"), "sk", AttributeValue.fromN("2")));
        items.finish(2, 2);
        assertThat(out.toString()).isEqualTo("""
                [
                  {
                    "pk": "a",
                    "sk": 1
                  },
                  {
                    "pk": "b",
                    "sk": 2
                  }
                ]
                """);
    }

    @Test
    void printsAnEmptyArray_inJson_whenThereIsNoItem() {
        printer(OutputFormat.JSON).itemPrinter().finish(0, 0);
        assertThat(out.toString()).isEqualTo("[ ]\n");
    }

    @Test
    void printsOneCompactItemPerLine_inJsonl() {
        ItemPrinter items = printer(OutputFormat.JSONL).itemPrinter();
        items.item(Map.of("sk", AttributeValue.fromN("1"), "pk", AttributeValue.fromS("a")));
        items.flush();
        assertThat(out.toString()).isEqualTo("{\"pk\":\"a\",\"sk\":1}\n");
        items.item(Map.of("pk", AttributeValue.fromS("b"), "sk", AttributeValue.fromN("2")));
        items.finish(2, 2);
        assertThat(out.toString()).isEqualTo("{\"pk\":\"a\",\"sk\":1}\n{\"pk\":\"b\",\"sk\":2}\n");
    }

    @Test
    void printsNothing_inJsonl_whenThereIsNoItem() {
        printer(OutputFormat.JSONL).itemPrinter().finish(0, 0);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void printsTheAwsCliQueryShape_inDdb() {
        ItemPrinter items = printer(OutputFormat.DDB).itemPrinter();
        items.item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1")));
        items.finish(1, 3);
        assertThat(out.toString()).isEqualTo("""
                {
                  "Items": [
                    {
                      "pk": {
                        "S": "a"
                      },
                      "sk": {
                        "N": "1"
                      }
                    }
                  ],
                  "Count": 1,
                  "ScannedCount": 3
                }
                """);
    }

    private static ValueTally statusTally() {
        ValueTally tally = new ValueTally("status");
        tally.add(Map.of("status", AttributeValue.fromS("closed")));
        tally.add(Map.of("status", AttributeValue.fromS("active")));
        tally.add(Map.of("status", AttributeValue.fromN("7")));
        tally.add(Map.of("status", AttributeValue.fromS("active")));
        tally.add(Map.of("other", AttributeValue.fromS("x")));
        return tally;
    }
}
