package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The entry of {@code dynamo-spark.jar} in an AWS Glue job (and anywhere else that makes the Spark context and must not
 * see {@code System.exit}). Glue passes its job parameters as {@code --key value} pairs, its own among them
 * ({@code --JOB_ID}, {@code --JOB_RUN_ID}, {@code --JOB_NAME}, {@code --TempDir}, {@code --job-bookmark-option},
 * {@code --enable-...}); this reads one, {@code --dynamo}, which holds dynamo-spark's arguments as one string, split as
 * a shell splits words: {@code --dynamo "copy -t Orders --source https://dynamodb.us-east-1.amazonaws.com ..."}. The
 * job runs on the context Glue made ({@code SparkContext.getOrCreate()}) and leaves it running; an exit code other
 * than 0 is thrown as a {@link FailedException}, so that Glue marks the run failed, with the job's one-line error as
 * its message. The scripts that call it are in {@code spark/src/glue}.
 */
public final class GlueJob {
    /** The job parameter that holds dynamo-spark's arguments. */
    static final String PARAMETER = "--dynamo";

    private GlueJob() {
    }

    /** Glue's entry: its job parameters, as the Scala script's {@code main} or the Python script gets them. */
    public static void main(String[] args) {
        // Glue's context if it made one already (a Python job's), else one of the settings spark-submit gave this JVM
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(
                SparkContext.getOrCreate(new SparkConf().setIfMissing("spark.app.name", "dynamo")));
        run(args, spark, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /**
     * Runs the command in {@code --dynamo} on {@code spark}.
     *
     * @throws FailedException when the command's exit code is not 0 (usage errors in --dynamo itself are exit 2)
     */
    static void run(String[] jobParameters, JavaSparkContext spark, PrintWriter out, PrintWriter err) {
        String[] args;
        try {
            args = arguments(jobParameters);
        } catch (DynamoException e) {
            err.println("dynamo: " + e.getMessage());
            err.flush();
            throw new FailedException(e.exitCode().code(), "dynamo: " + e.getMessage());
        }
        LastLine errors = new LastLine(err);
        PrintWriter teed = new PrintWriter(errors, true);
        int code = DynamoSpark.run(args, spark, out, teed);
        teed.flush();
        if (code != ExitCode.OK.code()) {
            String line = errors.lastError();
            throw new FailedException(code, line != null ? line : "dynamo-spark " + String.join(" ", args) + " exited with " + code);
        }
    }

    /** dynamo-spark's arguments: the words of the one --dynamo among the job parameters; the others are Glue's. */
    static String[] arguments(String[] jobParameters) {
        String value = null;
        for (int i = 0; i < jobParameters.length; i++) {
            String parameter = jobParameters[i];
            String given;
            if (parameter.equals(PARAMETER)) {
                if (i + 1 == jobParameters.length) {
                    throw DynamoException.usage("the job parameter " + PARAMETER + " has no value");
                }
                given = jobParameters[++i];
            } else if (parameter.startsWith(PARAMETER + "=")) {
                given = parameter.substring(PARAMETER.length() + 1);
            } else {
                continue;
            }
            if (value != null) {
                throw DynamoException.usage("the job parameter " + PARAMETER + " is given twice: give it once");
            }
            value = given;
        }
        if (value == null) {
            throw DynamoException.usage("no job parameter " + PARAMETER + ": give it dynamo-spark's arguments, e.g. "
                    + PARAMETER + " 'copy -t Orders --source SOURCE --target TARGET'");
        }
        List<String> words = ShellWords.split(value, "the job parameter " + PARAMETER);
        if (words.isEmpty()) {
            throw DynamoException.usage("the job parameter " + PARAMETER + " is empty: give it dynamo-spark's arguments, e.g. "
                    + PARAMETER + " 'copy -t Orders --source SOURCE --target TARGET'");
        }
        return words.toArray(String[]::new);
    }

    /** The job ended with an exit code other than 0: the message is its one-line error ({@code dynamo: ...}). */
    public static final class FailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int exitCode;

        FailedException(int exitCode, String message) {
            super(message + " (exit code " + exitCode + ")");
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** Writes through to the job's stderr and keeps the last line that starts with {@code dynamo: }. */
    private static final class LastLine extends Writer {
        private static final int MAX_LINE_CHARS = 4_096;
        private final PrintWriter target;
        private final StringBuilder line = new StringBuilder();
        private String lastError;

        LastLine(PrintWriter target) {
            this.target = target;
        }

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            target.write(chars, offset, length);
            for (int i = offset; i < offset + length; i++) {
                if (chars[i] == '\n') {
                    if (line.indexOf("dynamo: ") == 0) {
                        lastError = line.toString().stripTrailing();
                    }
                    line.setLength(0);
                } else if (line.length() < MAX_LINE_CHARS) {
                    line.append(chars[i]);
                }
            }
        }

        synchronized String lastError() {
            return lastError;
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
