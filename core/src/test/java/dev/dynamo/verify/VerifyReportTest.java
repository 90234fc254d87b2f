package dev.dynamo.verify;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verify report, text and JSON, as golden strings (the words of cli's and spark's verify). */
class VerifyReportTest {
    private static final String SOURCE = "table 'Orders' in 'prod' (eu-west-1)";
    private static final String TARGET = "table 'Orders' in 'dev' (us-east-1)";

    private static VerifyResult identical() {
        return VerifyResult.builder().source(SOURCE).target(TARGET).keyNames(List.of("pk", "sk"))
                .sourceItems(1200).targetItems(1200).matching(1200).buckets(1).largestBucketBytes(4000).readUnits(150.5)
                .elapsed(Duration.ofMillis(2340)).build();
    }

    private static VerifyResult different() {
        List<String> many = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        return VerifyResult.builder().source(SOURCE).target(TARGET).selection(true).keyNames(List.of("pk", "sk"))
                .sourceItems(30).targetItems(29).matching(25).missing(3).extra(1).different(3)
                .missingKeys(List.of(Map.of("pk", s("c0"), "sk", n("27")), Map.of("pk", s("c1"), "sk", n("4"))))
                .extraKeys(List.of(Map.of("sk", n("0.5"), "pk", s("c9"))))
                .differentItems(List.of(
                        new VerifyResult.Difference(Map.of("pk", s("c0"), "sk", n("6")), List.of("map.inner.deep", "tags[2]")),
                        new VerifyResult.Difference(Map.of("pk", s("c0"), "sk", n("9")), many),
                        new VerifyResult.Difference(Map.of("pk", s("c2"), "sk", n("17")), List.of())))
                .buckets(7).largestBucketBytes(9000).readUnits(12.25).retried(2).throttled(1).elapsed(Duration.ofMillis(450)).build();
    }

    @Test
    void identicalTables() {
        assertThat(VerifyReport.lines(identical())).containsExactly(
                "Source:    table 'Orders' in 'prod' (eu-west-1): 1,200 items read",
                "Target:    table 'Orders' in 'dev' (us-east-1): 1,200 items read",
                "Identical: 1,200 items",
                "Missing:   0 items",
                "Extra:     0 items",
                "Different: 0 items",
                "Result:    IDENTICAL (2.3 s, 150.5 RCU)");
        assertThat(VerifyReport.json(identical())).isEqualTo("{\"identical\":true,\"source\":\"table 'Orders' in 'prod' "
                + "(eu-west-1)\",\"target\":\"table 'Orders' in 'dev' (us-east-1)\",\"selection\":false,\"sourceItems\":1200,"
                + "\"targetItems\":1200,\"identicalItems\":1200,\"missing\":0,\"extra\":0,\"different\":0,\"missingKeys\":[],"
                + "\"extraKeys\":[],\"differentItems\":[],\"readUnits\":150.5,\"retried\":0,\"throttled\":0,\"buckets\":1,"
                + "\"elapsedSeconds\":2.3}");
    }

    @Test
    void differentTables_listTheKeysInKeyOrder_withWhereTheyDiffer() {
        assertThat(VerifyReport.lines(different())).containsExactly(
                "Source:    table 'Orders' in 'prod' (eu-west-1): 30 selected items read",
                "Target:    table 'Orders' in 'dev' (us-east-1): 29 selected items read",
                "Identical: 25 items",
                "Missing:   3 items in the source only",
                "  {\"pk\":\"c0\",\"sk\":27}",
                "  {\"pk\":\"c1\",\"sk\":4}",
                "  ... and 1 more (list more with --show N)",
                "Extra:     1 item in the target only",
                "  {\"pk\":\"c9\",\"sk\":0.5}",
                "Different: 3 items with the same key",
                "  {\"pk\":\"c0\",\"sk\":6}  differs in map.inner.deep, tags[2]",
                "  {\"pk\":\"c0\",\"sk\":9}  differs in a, b, c, d, e, f, g, h and 2 more",
                "  {\"pk\":\"c2\",\"sk\":17}  (changed since it was read: read again, the two items are equal or one is gone)",
                "Result:    DIFFERENT: 3 missing, 1 extra, 3 different (0.5 s, 12.3 RCU, 2 retried)");
        assertThat(VerifyReport.json(different())).isEqualTo("{\"identical\":false,\"source\":\"table 'Orders' in 'prod' "
                + "(eu-west-1)\",\"target\":\"table 'Orders' in 'dev' (us-east-1)\",\"selection\":true,\"sourceItems\":30,"
                + "\"targetItems\":29,\"identicalItems\":25,\"missing\":3,\"extra\":1,\"different\":3,"
                + "\"missingKeys\":[{\"pk\":\"c0\",\"sk\":27},{\"pk\":\"c1\",\"sk\":4}],\"extraKeys\":[{\"pk\":\"c9\",\"sk\":0.5}],"
                + "\"differentItems\":[{\"key\":{\"pk\":\"c0\",\"sk\":6},\"attributes\":[\"map.inner.deep\",\"tags[2]\"]},"
                + "{\"key\":{\"pk\":\"c0\",\"sk\":9},\"attributes\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\"]},"
                + "{\"key\":{\"pk\":\"c2\",\"sk\":17},\"attributes\":[]}],\"readUnits\":12.3,\"retried\":2,\"throttled\":1,"
                + "\"buckets\":7,\"elapsedSeconds\":0.5}");
        assertThat(VerifyReport.counts(different())).isEqualTo("3 missing, 1 extra, 3 different");
    }

    @Test
    void binaryKeysAreBase64() {
        assertThat(VerifyReport.keyJson(Map.of("id", b((byte) 0, (byte) -1)), List.of("id"))).isEqualTo("{\"id\":\"AP8=\"}");
    }

    @Test
    void sparkJson_namesTheEngineAfterIdentical() {
        assertThat(VerifyReport.json(identical(), "spark")).isEqualTo(VerifyReport.json(identical())
                .replace("{\"identical\":true,", "{\"identical\":true,\"engine\":\"spark\","))
                .startsWith("{\"identical\":true,\"engine\":\"spark\",\"source\":");
    }
}
