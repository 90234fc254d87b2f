package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@link GlueJob}: dynamo-spark's arguments from the one job parameter --dynamo among Glue's own, split as a shell
 * splits words, with one-line errors; a real copy on a context made elsewhere (the tests' shared one, as Glue's), left
 * running; a failed job thrown with its exit code and error line, never an exit.
 */
class GlueJobTest {
    /** What Glue 5 passes a job, in its order, with ours among them. */
    private static String[] glueParameters(String dynamo) {
        return new String[] {"--JOB_ID", "j_0123", "--JOB_RUN_ID", "jr_4567", "--job-bookmark-option", "job-bookmark-disable",
            "--TempDir", "s3://aws-glue-temporary/admin", "--enable-metrics", "true", "--dynamo", dynamo, "--JOB_NAME", "copy-orders",
            "--enable-glue-datacatalog", "true"};
    }

    @Test
    void arguments_areTheWordsOfDynamo_amongGluesParameters() {
        assertThat(GlueJob.arguments(glueParameters(
                "copy -t 'My Table' --source \"http://127.0.0.1:8000\"\n  --target=dev --mode merge --max-wcu 2000")))
                .containsExactly("copy", "-t", "My Table", "--source", "http://127.0.0.1:8000", "--target=dev", "--mode", "merge",
                        "--max-wcu", "2000");
        assertThat(GlueJob.arguments(new String[] {"--dynamo=copy --help"})).containsExactly("copy", "--help");
    }

    @Test
    void arguments_refuseAMissingEmptyOrRepeatedDynamo_inOneLine() {
        assertUsage(new String[] {"--JOB_ID", "j_1", "--JOB_NAME", "n"},
                "no job parameter --dynamo: give it dynamo-spark's arguments, e.g. --dynamo 'copy -t Orders --source SOURCE --target TARGET'");
        assertUsage(glueParameters("  \n "),
                "the job parameter --dynamo is empty: give it dynamo-spark's arguments, e.g. --dynamo 'copy -t Orders --source SOURCE --target TARGET'");
        assertUsage(new String[] {"--JOB_ID", "j_1", "--dynamo"}, "the job parameter --dynamo has no value");
        assertUsage(new String[] {"--dynamo", "copy", "--dynamo", "copy"}, "the job parameter --dynamo is given twice: give it once");
        assertUsage(glueParameters("copy -t 'Orders"), "the job parameter --dynamo has an unterminated ' quote (at character 9)");
    }

    private static void assertUsage(String[] parameters, String message) {
        assertThatThrownBy(() -> GlueJob.arguments(parameters)).isInstanceOf(DynamoException.class).hasMessage(message)
                .satisfies(e -> assertThat(((DynamoException) e).exitCode().code()).isEqualTo(2));
    }

    @Test
    void shellWords_quoteAndEscapeAsAShellDoes() {
        assertThat(ShellWords.split("a'b c'\"d e\"f g\\ h '' \"\" \"\\\"\\\\\\$x\\y\" 'it''s' x\\\ny", "w"))
                .containsExactly("ab cd ef", "g h", "", "", "\"\\$x\\y", "its", "xy");
        assertThat(ShellWords.split(" \t\r\n", "w")).isEmpty();
        assertThatThrownBy(() -> ShellWords.split("copy \"Orders", "the job parameter --dynamo"))
                .hasMessage("the job parameter --dynamo has an unterminated \" quote (at character 6)");
        assertThatThrownBy(() -> ShellWords.split("copy \\", "the job parameter --dynamo"))
                .hasMessage("the job parameter --dynamo ends with a backslash that escapes nothing");
    }

    @Test
    void usageErrorInDynamo_isThrownWithExit2_beforeAnythingRuns() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThatThrownBy(() -> GlueJob.run(new String[] {"--JOB_ID", "j_1"}, null, new PrintWriter(out), new PrintWriter(err)))
                .isInstanceOf(GlueJob.FailedException.class)
                .hasMessageStartingWith("dynamo: no job parameter --dynamo: ")
                .satisfies(e -> assertThat(((GlueJob.FailedException) e).exitCode()).isEqualTo(2));
        assertThat(err.toString()).startsWith("dynamo: no job parameter --dynamo: ").hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Nested
    @EngineTest
    class OnSpark {
        @TempDir
        Path home;

        @Test
        void copiesExactly_onTheContextItIsGiven_andLeavesItRunning(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
            JavaSparkContext spark = SparkTestContext.get();
            String source = TestTables.table("glue").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                    .create(db.client());
            CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(200, 13));
            String target = TestTables.uniqueName("glue-copy");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            GlueJob.run(glueParameters("copy -t " + source + " --source " + db.env() + " --target '" + other.env() + "'"
                    + " --target-table " + target + " --create-table --summary json --no-progress"
                    + " --checkpoint '" + home.resolve("checkpoint") + "' --dead-letter '" + home.resolve("dead") + "'"),
                    spark, new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(out.toString()).as("stderr: %s", err).contains("\"written\":200,");
            CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
            assertThat(spark.sc().isStopped()).as("Glue's context, left running").isFalse();
        }

        @Test
        void failedJob_isThrownWithItsExitCodeAndErrorLine_notExited(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
            JavaSparkContext spark = SparkTestContext.get();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String missing = TestTables.uniqueName("glue-missing");

            assertThatThrownBy(() -> GlueJob.run(glueParameters("copy -t " + missing + " --source " + db.env() + " --target " + other.env()
                    + " --no-progress --checkpoint '" + home.resolve("checkpoint") + "' --dead-letter '" + home.resolve("dead") + "'"),
                    spark, new PrintWriter(out, true), new PrintWriter(err, true)))
                    .isInstanceOf(GlueJob.FailedException.class)
                    .satisfies(e -> assertThat(((GlueJob.FailedException) e).exitCode()).isEqualTo(2))
                    .hasMessageStartingWith("dynamo: ").hasMessageContaining(missing).hasMessageEndingWith(" (exit code 2)");
            assertThat(err.toString()).startsWith("dynamo: ").contains(missing).hasLineCount(1);
            assertThat(spark.sc().isStopped()).isFalse();
        }
    }
}
