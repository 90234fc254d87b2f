package dev.dynamo.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installs the test engine (dynalite, pinned by dev/engine/package-lock.json) with {@code npm ci} into
 * dev/engine/node_modules the first time a test needs it, so a fresh clone needs nothing done by hand.
 * An OS lock on dev/engine/.install.lock keeps two JVMs (the test run, dev/local-dynamodb) from
 * installing at once.
 */
final class EngineInstall {
    private static final int MIN_NODE_MAJOR = 20;
    private static final long INSTALL_TIMEOUT_SECONDS = 300;
    private static final Pattern NODE_VERSION = Pattern.compile("^v(\\d+)\\.");
    private static Path installed;

    private EngineInstall() {
    }

    /** The engine's folder, installed. */
    static synchronized Path ensureInstalled() {
        if (installed != null) {
            return installed;
        }
        Path engine = Path.of(System.getProperty("dynamo.engine.dir", "dev/engine")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(engine.resolve("server.js")) || !Files.isRegularFile(engine.resolve("package-lock.json"))) {
            throw new IllegalStateException(engine + " has no server.js and package-lock.json: run the tests from the repository's root");
        }
        checkNode();
        if (!isInstalled(engine)) {
            try (FileChannel channel = FileChannel.open(engine.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!isInstalled(engine)) {
                    run(engine, List.of(npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error"), INSTALL_TIMEOUT_SECONDS);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot install dynalite in " + engine + ": " + e.getMessage(), e);
            }
        }
        installed = engine;
        return engine;
    }

    /** dynalite is there at the version package.json pins. */
    private static boolean isInstalled(Path engine) {
        try {
            String wanted = version(Files.readString(engine.resolve("package.json")), "\"dynalite\"");
            Path installedPackage = engine.resolve("node_modules/dynalite/package.json");
            return Files.isRegularFile(installedPackage) && wanted != null
                    && wanted.equals(version(Files.readString(installedPackage), "\"version\""));
        } catch (IOException e) {
            return false;
        }
    }

    private static String version(String json, String field) {
        Matcher matcher = Pattern.compile(Pattern.quote(field) + "\\s*:\\s*\"([^\"]+)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }

    static String node() {
        return "node";
    }

    private static String npm() {
        return "npm";
    }

    private static void checkNode() {
        String version;
        try {
            Process process = new ProcessBuilder(node(), "--version").redirectErrorStream(true).start();
            version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("the tests need Node.js " + MIN_NODE_MAJOR + "+ and npm for their DynamoDB engine (dynalite),"
                    + " and 'node' is not on the PATH: install Node.js " + MIN_NODE_MAJOR + " or later (or set "
                    + LocalDynamoDb.ENDPOINT_VARIABLE + " to an endpoint of your own)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Node.js", e);
        }
        Matcher matcher = NODE_VERSION.matcher(version);
        if (!matcher.find() || Integer.parseInt(matcher.group(1)) < MIN_NODE_MAJOR) {
            throw new IllegalStateException("the tests need Node.js " + MIN_NODE_MAJOR + "+ for dynalite; 'node --version' says "
                    + version + ": install Node.js " + MIN_NODE_MAJOR + " or later");
        }
    }

    private static void run(Path directory, List<String> command, long timeoutSeconds) throws IOException {
        Path log = Files.createTempFile("dynalite-install-", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted during " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + directory + " failed (exit " + process.exitValue()
                    + "): " + Files.readString(log).strip());
        }
    }
}
