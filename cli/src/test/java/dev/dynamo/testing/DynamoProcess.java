package dev.dynamo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code dynamo} in a JVM of its own ({@code java -cp <the test classpath> dev.dynamo.cli.Main ...}),
 * so a test can send it Ctrl-C (SIGINT) or kill -9 it. Its home directory is the test's, no AWS
 * variable is passed on, and its stdout and stderr go to files.
 */
public final class DynamoProcess {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static Boolean envResetsSignals;

    private final Process process;
    private final List<String> args;
    private final Path stdout;
    private final Path stderr;

    private DynamoProcess(Process process, List<String> args, Path stdout, Path stderr) {
        this.process = process;
        this.args = List.copyOf(args);
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code dynamo ARGS} with HOME set to {@code home}; its output goes to files in {@code logs}. */
    public static DynamoProcess start(Path home, Path logs, List<String> args) throws IOException {
        EngineLimits.checkSegments(args);
        List<String> command = new ArrayList<>();
        // A shell that started us without job control may have made SIGINT ignored, and ignored signals are inherited:
        // where GNU env can, give the child the default disposition, so that it can handle Ctrl-C as it would in a terminal.
        if (envResetsSignals()) {
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.disableEc2Metadata=true", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.dynamo.cli.Main"));
        command.addAll(args);
        int n = COUNT.incrementAndGet();
        Path out = logs.resolve("dynamo-" + n + ".out");
        Path err = logs.resolve("dynamo-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("HOME", home.toString());
        return new DynamoProcess(builder.start(), args, out, err);
    }

    private static synchronized boolean envResetsSignals() {
        if (envResetsSignals == null) {
            try {
                Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
                envResetsSignals = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (IOException e) {
                envResetsSignals = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                envResetsSignals = false;
            }
        }
        return envResetsSignals;
    }

    public Process process() {
        return process;
    }

    /** Ctrl-C: SIGINT, as a terminal sends it. */
    public void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -INT " + process.pid() + " failed");
        }
    }

    /** kill: SIGTERM, as kill, systemd, Kubernetes and CI runners send it. */
    public void terminate() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -TERM " + process.pid() + " failed");
        }
    }

    /** kill -9: SIGKILL, no chance to save anything; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
        }
    }

    /** Waits for the exit and returns the exit code; fails the test after {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("dynamo " + String.join(" ", args) + " did not end within " + timeout + "\n" + this);
        }
        return process.exitValue();
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        try {
            return "\n  args:   " + String.join(" ", args)
                    + "\n  exit:   " + (process.isAlive() ? "running" : process.exitValue())
                    + "\n  stdout: " + stdout()
                    + "\n  stderr: " + stderr();
        } catch (IOException e) {
            return "dynamo " + String.join(" ", args) + " (output unreadable: " + e.getMessage() + ")";
        }
    }
}
