package dev.dynamo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a command under GNU {@code /usr/bin/time -v} and reports wall time, CPU seconds and peak RSS. */
final class ProcessMeter {
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern USER = Pattern.compile("User time \\(seconds\\): ([\\d.]+)");
    private static final Pattern SYSTEM = Pattern.compile("System time \\(seconds\\): ([\\d.]+)");

    /** What one run took. */
    record Measurement(int exitCode, double wallSeconds, double cpuSeconds, long peakRssKib, String stdout, String stderr) {
        double peakRssMib() {
            return peakRssKib / 1024.0;
        }
    }

    private ProcessMeter() {
    }

    static Measurement run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of());
    }

    /** Runs {@code command} with {@code environment} added to this process's environment. */
    static Measurement run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-v"));
        timed.addAll(command);
        Path out = Files.createTempFile("bench-out", ".txt");
        Path err = Files.createTempFile("bench-err", ".txt");
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(timed).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        double cpu = number(USER, stderr) + number(SYSTEM, stderr);
        long rss = (long) number(MAX_RSS, stderr);
        int timeReport = stderr.indexOf("\tCommand being timed:");
        return new Measurement(process.exitValue(), wall, cpu, rss, stdout, timeReport >= 0 ? stderr.substring(0, timeReport) : stderr);
    }

    private static double number(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
