package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one line of a Spark job that failed, as each job words it. */
class JobFailureTest {
    private static final Exception TASK_USAGE = new RuntimeException("Job aborted due to stage failure",
            DynamoException.usage("segment 3: table 'T' has no key 'pk'"));
    private static final Exception CANCELLED = new RuntimeException("Job 4 cancelled because SparkContext was shut down");
    private static final Exception OTHER = new RuntimeException("Task not serializable\n\tat org.apache.spark...");

    @Test
    void resumableJob_namesItsTasks_andTheCheckpointToResume(@TempDir Path dir) {
        try (SparkCheckpoint checkpoint = new SparkCheckpoint(dir)) {
            JobFailure copy = JobFailure.resumable("segment", "the copy", "segments", checkpoint);
            String resume = "; the finished segments are in the checkpoint " + checkpoint.describe() + ": add --resume to continue";
            assertFailure(copy.of(TASK_USAGE), ExitCode.FAILURE,
                    "a segment task failed after Spark's retries: segment 3: table 'T' has no key 'pk'" + resume);
            assertFailure(copy.of(CANCELLED), ExitCode.INTERRUPTED, "interrupted: Spark stopped the job" + resume);
            assertFailure(copy.of(OTHER), ExitCode.FAILURE, "the copy failed: Task not serializable" + resume);
            assertThat(JobFailure.resumable("data-file", "the import", "data files", checkpoint).of(OTHER).getMessage())
                    .isEqualTo("the import failed: Task not serializable; the finished data files are in the checkpoint "
                            + checkpoint.describe() + ": add --resume to continue");
        }
    }

    @Test
    void jobWithoutCheckpoint_saysWhatFailed() {
        assertFailure(JobFailure.of(TASK_USAGE, "the verification", "; nothing was changed"), ExitCode.FAILURE,
                "a task of the verification failed after Spark's retries: segment 3: table 'T' has no key 'pk'; nothing was changed");
        assertFailure(JobFailure.of(CANCELLED, "the verification", "; nothing was changed"), ExitCode.INTERRUPTED,
                "interrupted: Spark stopped the verification; nothing was changed");
        assertFailure(JobFailure.of(OTHER, "the verification", "; nothing was changed"), ExitCode.FAILURE,
                "the verification failed: Task not serializable; nothing was changed");
    }

    @Test
    void taskFailureAsTheJobs_keepsTheTasksLineAndExitCode() {
        JobFailure check = new JobFailure(null, "the check of the data files", "the check of the data files", "; nothing was written");
        assertFailure(check.of(TASK_USAGE), ExitCode.USAGE, "segment 3: table 'T' has no key 'pk'");
        assertFailure(check.of(CANCELLED), ExitCode.INTERRUPTED, "interrupted: Spark stopped the check of the data files; nothing was written");
        assertFailure(check.of(OTHER), ExitCode.FAILURE, "the check of the data files failed: Task not serializable; nothing was written");
    }

    private static void assertFailure(DynamoException failure, ExitCode code, String message) {
        assertThat(failure.exitCode()).as(failure.getMessage()).isEqualTo(code);
        assertThat(failure.getMessage()).isEqualTo(message);
    }
}
