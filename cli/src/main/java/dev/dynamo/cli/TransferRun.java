package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.output.CopyProgressReporter;
import dev.dynamo.output.StatusLine;
import dev.dynamo.pipeline.JobCounters;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs an export or import the way {@code copy} runs: a live progress line on a terminal, the first Ctrl-C (or SIGTERM)
 * stops it gracefully (what is finished stays, the checkpoint is saved), a second quits at once; a stopped or failed
 * job's message ends with the command that resumes it.
 */
final class TransferRun {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile StatusLine progressLine;

    /**
     * @param job      runs the job with a notice listener
     * @param stop     stops it gracefully
     * @param progress its progress
     */
    <T> T run(String name, PrintWriter err, boolean showProgress, boolean quiet, Supplier<JobCounters.Snapshot> progress,
            Runnable stop, Function<Consumer<String>, T> job, String resumeCommand) {
        Thread onShutdown = new Thread(() -> {
            stop.run();
            try {
                stopped.await(CopyCommand.SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dynamo-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(onShutdown);
        Consumer<String> notice = message -> {
            StatusLine line = progressLine;
            if (line != null) {
                line.notice(message);
            } else if (!quiet) {
                err.println(message);
                err.flush();
            }
        };
        try (CtrlC ctrlC = CtrlC.install(() -> {
            notice.accept("stopping: what is finished stays and the checkpoint is saved (Ctrl-C again to quit at once)");
            stop.run();
        }, () -> {
            err.println();
            err.println("dynamo: stopped at once by a second Ctrl-C; resume with: " + resumeCommand);
            err.flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        })) {
            if (!showProgress) {
                return job.apply(notice);
            }
            try (StatusLine line = CopyProgressReporter.start(err, progress)) {
                progressLine = line;
                return job.apply(notice);
            } finally {
                progressLine = null;
            }
        } catch (DynamoException e) {
            if (e.exitCode() == ExitCode.INTERRUPTED) {
                throw new DynamoException(ExitCode.INTERRUPTED, e.getMessage() + "; resume with: " + resumeCommand, e);
            }
            if (e.exitCode() == ExitCode.FAILURE && !e.getMessage().contains("nothing was written")) {
                throw new DynamoException(ExitCode.FAILURE, e.getMessage() + "; resume with: " + resumeCommand, e);
            }
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onShutdown);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the countdown below
            }
        }
    }

    /** Lets a shutdown hook waiting for the job go on: call once the job is closed. */
    void closed() {
        stopped.countDown();
    }

    /**
     * The command that resumes: the program as the person runs it, then the arguments given, shell-quoted, with
     * {@code --resume}: {@code ./dynamo export -t Orders -e dev --to /tmp/out --resume}.
     */
    static String resumeCommand(CliContext context, List<String> args) {
        StringBuilder command = new StringBuilder(context.programWord());
        for (String arg : args) {
            command.append(' ').append(ShellQuoting.quote(arg));
        }
        if (!args.contains("--resume")) {
            command.append(" --resume");
        }
        return command.toString();
    }
}
