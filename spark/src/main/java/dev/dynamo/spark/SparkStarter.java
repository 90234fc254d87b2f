package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts the Spark context on a thread of its own while the driver checks the tables, and hands it over when the job
 * needs it. Both are start-up work of several seconds of CPU (Spark's RPC, block manager and scheduler; the AWS SDK's
 * first client and calls), measured as the pause before a job's first task set: one after the other they add up, side by
 * side they overlap. A usage error found by the checks (unknown table, same table, no checkpoint) then comes back without
 * waiting for Spark.
 *
 * <p>Thread-safe: {@link #await} from the driver's thread, {@link #close} from any. A context that finishes starting
 * after {@link #close} (the job ended with an error first) is stopped by the starting thread.
 */
final class SparkStarter implements AutoCloseable {
    private final CompletableFuture<JavaSparkContext> context = new CompletableFuture<>();
    private boolean closed;

    private SparkStarter() {
    }

    /** Starts {@code start} on a daemon thread named dynamo-spark-start. */
    static SparkStarter start(Supplier<JavaSparkContext> start) {
        SparkStarter starter = new SparkStarter();
        Thread thread = new Thread(() -> {
            try {
                starter.started(start.get());
            } catch (Throwable e) { // handed to await(), which rethrows it on the driver's thread
                starter.context.completeExceptionally(e);
            }
        }, "dynamo-spark-start");
        thread.setDaemon(true);
        thread.start();
        return starter;
    }

    /** A context started already (the tests' shared one). */
    static SparkStarter of(JavaSparkContext context) {
        SparkStarter starter = new SparkStarter();
        starter.context.complete(context);
        return starter;
    }

    private void started(JavaSparkContext spark) {
        boolean stop;
        synchronized (this) {
            stop = closed;
            context.complete(spark);
        }
        if (stop) {
            spark.stop();
        }
    }

    /**
     * The context, once started.
     *
     * @throws DynamoException when Spark did not start: usage (exit 2) for a master it cannot parse, else failure
     */
    JavaSparkContext await() throws InterruptedException {
        try {
            return context.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            String message = String.valueOf(e.getCause().getMessage());
            // Could not parse Master URL: 'bogus'
            ExitCode code = message.startsWith("Could not parse Master URL") ? ExitCode.USAGE : ExitCode.FAILURE;
            throw new DynamoException(code, "Spark did not start: " + message.lines().findFirst().orElse(message), e.getCause());
        }
    }

    /** The context if it has started, else null (and a context that starts later is stopped then). */
    synchronized JavaSparkContext startedOrAbandon() {
        closed = true;
        return context.isDone() && !context.isCompletedExceptionally() ? context.join() : null;
    }

    @Override
    public void close() {
        JavaSparkContext spark = startedOrAbandon();
        if (spark != null) {
            spark.stop();
        }
    }
}
