package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;

/** One line for a Spark job that failed: the task's own message when it is one of ours. */
final class JobFailure {
    private JobFailure() {
    }

    /**
     * @param what  what failed, e.g. {@code the verification}
     * @param after what to add at the end, e.g. {@code ; nothing was changed}
     */
    static DynamoException of(Exception e, String what, String after) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DynamoException dynamo) {
                return new DynamoException(dynamo.exitCode() == ExitCode.USAGE ? ExitCode.FAILURE : dynamo.exitCode(),
                        "a task of " + what + " failed after Spark's retries: " + dynamo.getMessage() + after, e);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("cancelled because SparkContext was shut down") || message.contains("cancelled part of cancelled job group")) {
            return new DynamoException(ExitCode.INTERRUPTED, "interrupted: Spark stopped " + what + after, e);
        }
        int newline = message.indexOf('\n');
        return DynamoException.failure(what + " failed: " + (newline < 0 ? message : message.substring(0, newline)) + after, e);
    }
}
