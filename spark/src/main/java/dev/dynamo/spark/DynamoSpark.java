package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.env.EnvironmentResolver;
import java.io.PrintWriter;
import java.util.function.Function;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The entry point of {@code dynamo-spark.jar}:
 * {@code spark-submit --class dev.dynamo.spark.DynamoSpark dynamo-spark.jar copy ...}, or {@code ./dynamo-spark
 * [--master local[N]] copy ...} for a local master; {@code export} likewise. Only {@link #main} exits the JVM; every error is one line on
 * stderr, {@code dynamo: ...}, with the command line's exit codes (stack traces with {@code --debug}).
 */
public final class DynamoSpark {
    /** The progress line's period, in milliseconds. */
    static final long PROGRESS_MILLIS = 5_000;

    private DynamoSpark() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err, DynamoSpark::startSpark, EnvironmentResolver.create());
        System.exit(code);
    }

    /**
     * Runs one command on a context made elsewhere (AWS Glue's, see {@link GlueJob}), which is left running; never exits.
     *
     * @return the exit code
     */
    public static int run(String[] args, JavaSparkContext existing) {
        return run(args, existing, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    static int run(String[] args, JavaSparkContext existing, PrintWriter out, PrintWriter err) {
        sharedContext = existing; // so that Root.stop leaves it running, as it does the tests'
        return execute(args, out, err, master -> existing, EnvironmentResolver.create());
    }

    /** A context of the master Spark was given (spark-submit), or {@code master} (--master), or local[*]. */
    static JavaSparkContext startSpark(String master) {
        return new JavaSparkContext(sparkConf(master));
    }

    /**
     * Spark's settings (and spark.* system properties, as SparkConf reads them), with, for a local master, what a job
     * in one JVM does not need left out: the web UI (a Jetty server and its servlets at start-up) and the machine's
     * network name, which Spark would look up and bind to (slow or wrong where the name does not resolve; the driver
     * and its executor talk inside one JVM). A spark.* system property the user sets wins.
     */
    static SparkConf sparkConf(String master) {
        SparkConf conf = new SparkConf().setAppName("dynamo");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", LOOPBACK);
            conf.setIfMissing("spark.driver.bindAddress", LOOPBACK);
        }
        return conf;
    }

    private static final String LOOPBACK = "127.0.0.1";

    /**
     * Runs one command.
     *
     * @param contexts makes the Spark context for a --master (null: the default); a context it returns is stopped at the
     *                 end only if this call made it: tests pass a shared one through {@link Root#sharedContext}
     * @return the exit code
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Function<String, JavaSparkContext> contexts,
            EnvironmentResolver resolver) {
        Root root = new Root(out, err, contexts, resolver);
        CommandLine line = new CommandLine(root).addSubcommand(new SparkCopyCommand()).addSubcommand(new SparkExportCommand())
                .addSubcommand(new SparkImportCommand()).addSubcommand(new SparkVerifyCommand());
        line.setOut(out).setErr(err);
        line.setParameterExceptionHandler((e, arguments) -> {
            err.println("dynamo: " + e.getMessage() + " (see dynamo-spark " + commandName(e.getCommandLine()) + " --help)");
            return ExitCode.USAGE.code();
        });
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (root.debug) {
                e.printStackTrace(err);
            }
            if (e instanceof DynamoException dynamo) {
                err.println("dynamo: " + dynamo.getMessage());
                return dynamo.exitCode().code();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                err.println("dynamo: interrupted");
                return ExitCode.INTERRUPTED.code();
            }
            err.println("dynamo: " + e + (root.debug ? "" : " (add --debug for the stack trace)"));
            return ExitCode.FAILURE.code();
        });
        try {
            return line.execute(args);
        } finally {
            root.stop();
            err.flush();
            out.flush();
        }
    }

    private static String commandName(CommandLine line) {
        return line.getParent() == null ? "" : line.getCommandName();
    }

    /** The root command: where the job runs. */
    @Command(name = "dynamo-spark", mixinStandardHelpOptions = true, version = "dynamo-spark",
            description = "dynamo's jobs on Apache Spark.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:success", "1:runtime failure", "2:usage error", "130:interrupted"},
            footerHeading = "%nExamples:%n",
            footer = {
                "  ./dynamo-spark copy -t Orders --source http://localhost:8000 \\",
                "      --target http://localhost:8001 --create-table",
                "  spark-submit --class dev.dynamo.spark.DynamoSpark dynamo-spark.jar copy \\",
                "      -t Orders --source prod --target dev --mode merge",
                "  ./dynamo-spark export -t Orders -e prod --to s3://backups/orders",
                "  ./dynamo-spark verify -t Orders --source prod --target dev",
                "",
                "./dynamo-spark runs the job on a local master in its own JVM (default",
                "local[*]); under spark-submit the job runs on the master it was given.",
            })
    static final class Root {
        private final PrintWriter out;
        private final PrintWriter err;
        private final Function<String, JavaSparkContext> contexts;
        private final EnvironmentResolver resolver;
        private SparkStarter starter;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark's master, e.g. local[4]. Default: spark-submit's, else local[*].")
        String master;

        @Option(names = "--debug", description = "Print stack traces and Spark's own log.")
        boolean debug;

        @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "5", hidden = true)
        double progressSeconds;

        Root(PrintWriter out, PrintWriter err, Function<String, JavaSparkContext> contexts, EnvironmentResolver resolver) {
            this.out = out;
            this.err = err;
            this.contexts = contexts;
            this.resolver = resolver;
        }

        PrintWriter out() {
            return out;
        }

        PrintWriter err() {
            return err;
        }

        long progressMillis() {
            return (long) (progressSeconds * 1000);
        }

        EnvironmentResolver resolver() {
            return resolver;
        }

        /**
         * Spark for this command's job: started on a thread of its own on first call (or the tests' shared context), so
         * that the job checks its tables while Spark starts, and awaits it only when it has work for it
         * ({@link SparkStarter}).
         */
        SparkStarter spark() {
            JavaSparkContext shared = sharedContext;
            if (shared != null) {
                return SparkStarter.of(shared);
            }
            if (starter == null) {
                starter = SparkStarter.start(() -> {
                    if (debug) { // Spark's start-up too (./dynamo-spark's log configuration says WARN)
                        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.INFO);
                    }
                    JavaSparkContext context = contexts.apply(master);
                    context.setLogLevel(debug ? "INFO" : "WARN");
                    return context;
                });
            }
            return starter;
        }

        /** Stops the context this command started (not a shared one). */
        void stop() {
            if (starter != null) {
                starter.close();
            }
        }
    }

    /** A context made elsewhere, the tests' or Glue's ({@link #run}): {@link Root#stop} leaves it running. */
    static volatile JavaSparkContext sharedContext;
}
