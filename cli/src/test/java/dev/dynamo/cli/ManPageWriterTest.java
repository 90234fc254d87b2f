package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fixes {@link ManPageWriter} makes to picocli's AsciiDoc, on golden strings of what picocli writes. */
class ManPageWriterTest {
    @Test
    void putsTheEqualsSignOutsideTheLabel_forAnOptionShownAsIs() {
        assertThat(ManPageWriter.tidy("[*--where*=_CONDITION_]... [*--sk-between*_=LOW HIGH_]...\n\n*--sk-between*_=LOW HIGH_::\n"))
                .isEqualTo("[*--where*=_CONDITION_]... [*--sk-between*=_LOW HIGH_]...\n\n*--sk-between*=_LOW HIGH_::\n");
    }

    @Test
    void joinsAnExitCodesContinuationLine_toItsCode() {
        assertThat(ManPageWriter.tidy("*1*::\n  runtime failure, answered no,\n\n**::\n  or --verify found differences\n\n*2*::\n  usage\n"))
                .isEqualTo("*1*::\n  runtime failure, answered no, or --verify found differences\n\n*2*::\n  usage\n");
    }

    @Test
    void letsManFillProse_butKeepsIndentedExamplesAsTheyAre() {
        assertThat(ManPageWriter.tidy("[%hardbreaks]\n  dynamo tables -e dev\n  dynamo describe -t T\n\n[%hardbreaks]\nENV is an AWS profile\nor an endpoint URL.\n"))
                .isEqualTo("[%hardbreaks]\n  dynamo tables -e dev\n  dynamo describe -t T\n\nENV is an AWS profile\nor an endpoint URL.\n");
    }

    @Test
    void keepsAHeadingWithIndentedLinesVerbatim_soColumnsStayAlignedAndOperatorsAsTyped() {
        assertThat(ManPageWriter.tidy("[%hardbreaks]\nOutput (-o)\n  summary  the count;\n           the default\n  json     an array\n\n"
                + "[%hardbreaks]\n--where PATH OP VALUE\n  OP: = != < <= > >=\n"))
                .isEqualTo("....\nOutput (-o)\n  summary  the count;\n           the default\n  json     an array\n....\n\n"
                        + "....\n--where PATH OP VALUE\n  OP: = != < <= > >=\n....\n");
    }

    @Test
    void writesAnEllipsisAsThreeDots_whichManCanRenderInAscii() {
        assertThat(ManPageWriter.tidy("an export's folder (\u2026/AWSDynamoDB/ID)\n")).isEqualTo("an export's folder (.../AWSDynamoDB/ID)\n");
    }

    @Test
    void keepsTheApiLine_whichAsciiDocWouldTakeForAttributes() {
        assertThat(ManPageWriter.tidy("[%hardbreaks]\n[API: ListTables]\n")).isEqualTo("{empty}[API: ListTables]\n");
        assertThat(ManPageWriter.tidy("[%hardbreaks]\n[API: DescribeTable, Scan,\n BatchWriteItem]\n"))
                .isEqualTo("{empty}[API: DescribeTable, Scan,\n BatchWriteItem]\n");
    }
}
