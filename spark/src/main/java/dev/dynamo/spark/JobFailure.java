package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;

/**
 * One line for a Spark job that failed, in the job's words: the task's own message when it is one of ours (as the
 * job's failure, exit 1 for a task's usage error), "interrupted" when Spark cancelled it, else Spark's first line; then
 * what the user can do ({@code after}: resume, rerun, nothing was changed).
 */
final class JobFailure {
    private final String task;
    private final String stopped;
    private final String job;
    private final String after;

    /**
     * @param task    how a task's own failure begins, e.g. {@code a segment task}; null: a task's failure is the job's,
     *                word for word and with its exit code
     * @param stopped what Spark stopped when it cancelled, e.g. {@code the job}
     * @param job     what failed otherwise, e.g. {@code the copy}
     * @param after   what to add at the end, e.g. {@code ; nothing was changed}
     */
    JobFailure(String task, String stopped, String job, String after) {
        this.task = task;
        this.stopped = stopped;
        this.job = job;
        this.after = after;
    }

    /**
     * A job of tasks that report to a checkpoint: what they finished is kept, and {@code --resume} continues.
     *
     * @param task     the kind of task, e.g. {@code segment}
     * @param job      e.g. {@code the copy}
     * @param finished the tasks' things in the plural, e.g. {@code segments}
     */
    static JobFailure resumable(String task, String job, String finished, SparkCheckpoint checkpoint) {
        return new JobFailure("a " + task + " task", "the job", job, "; the finished " + finished + " are in the checkpoint "
                + checkpoint.describe() + ": add --resume to continue");
    }

    /**
     * @param what  what failed, e.g. {@code the verification}
     * @param after what to add at the end, e.g. {@code ; nothing was changed}
     */
    static DynamoException of(Exception e, String what, String after) {
        return new JobFailure("a task of " + what, what, what, after).of(e);
    }

    /** The line for {@code e}, Spark's exception (or a task's, which Spark wraps). */
    DynamoException of(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DynamoException dynamo) {
                if (task == null) {
                    return new DynamoException(dynamo.exitCode(), dynamo.getMessage(), e);
                }
                return new DynamoException(dynamo.exitCode() == ExitCode.USAGE ? ExitCode.FAILURE : dynamo.exitCode(),
                        task + " failed after Spark's retries: " + dynamo.getMessage() + after, e);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("cancelled because SparkContext was shut down") || message.contains("cancelled part of cancelled job group")) {
            return new DynamoException(ExitCode.INTERRUPTED, "interrupted: Spark stopped " + stopped + after, e);
        }
        int newline = message.indexOf('\n');
        return DynamoException.failure(job + " failed: " + (newline < 0 ? message : message.substring(0, newline)) + after, e);
    }
}
