package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import dev.dynamo.testing.CommandResult;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The scripts of {@code dynamo completion bash|zsh|fish}, loaded in real shells and asked to complete partial lines:
 * bash through COMP_WORDS/COMP_CWORD (split at ':' and '=' as bash splits them) and the completion function; zsh
 * through a TAB in an interactive zsh on a pseudo-terminal (zsh-capture.zsh); fish through {@code complete -C}. The
 * scripts find {@code dynamo} on PATH. For most lines it is a bridge ({@link Bridge}) that runs {@code dynamo ARGS} in
 * this JVM, through the factory, and prints its stdout, so that a completion costs no JVM start (a JVM and the SDK's
 * classes took about 2 s of CPU for each of 24 completions); every run through the bridge must exit 0 and print nothing
 * on stderr. {@link #completesTheTablesOfAnEndpoint_inAJvmOfItsOwn} and {@link #completesNoTable_whenTheEndpointNeverAnswers}
 * run a JVM of its own instead (a wrapper that runs this classpath's Main, as the installed launcher runs the jar): that
 * it exits at once with the tables, or with nothing at the deadline, and prints nothing else, only a real process shows.
 * A missing shell fails the test, naming its Debian package, unless DYNAMO_SKIP_SHELLS=1.
 */
@EngineTest
class ShellCompletionTest {
    @TempDir
    static Path dir;
    /** Where {@code dynamo} is the bridge into this JVM. */
    private static Path bin;
    /** Where {@code dynamo} is a JVM of its own. */
    private static Path jvmBin;
    private static Bridge bridge;
    private static String engine;
    private static String orders;
    private static String customers;

    enum Shell {
        BASH, ZSH, FISH;

        String command() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @BeforeAll
    static void setUp(LocalDynamoDb db) throws IOException {
        engine = db.env();
        orders = TestTables.table("complete-orders").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        customers = TestTables.table("complete-customers").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        jvmBin = Files.createDirectories(dir.resolve("jvm-bin"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        executable(jvmBin.resolve("dynamo"), "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 "
                + "-XX:+UseSerialGC -Xshare:auto -Daws.disableEc2Metadata=true -cp '" + System.getProperty("java.class.path")
                + "' dev.dynamo.cli.Main \"$@\"\n");
        Files.writeString(dir.resolve("aws-config"), "[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n");
        Files.writeString(dir.resolve("aws-credentials"), "[personal]\naws_access_key_id = a\naws_secret_access_key = b\n");
        Files.writeString(dir.resolve("config.toml"), "[env.staging]\nprofile = \"work\"\n[env.engine]\nendpoint = \"" + engine + "\"\n");
        // The same files through the same variables as the JVM's environment gets them (see complete()).
        bridge = Bridge.start(Cli.isolated(dir).withVariables(Map.of("AWS_CONFIG_FILE", dir.resolve("aws-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString(),
                "DYNAMO_CONFIG", dir.resolve("config.toml").toString())));
        bin = Files.createDirectories(dir.resolve("bin"));
        // bash's /dev/tcp: the arguments, NUL-terminated after their count; the answer is the command's stdout.
        executable(bin.resolve("dynamo"), "#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/" + bridge.port() + " || exit 97\n"
                + "printf '%s\\0' \"$#\" \"$@\" >&3\ncat <&3\n");
        for (Shell shell : Shell.values()) {
            String script = Cli.isolated(dir).succeed("completion", shell.command()).stdout();
            Files.writeString(dir.resolve("completion." + shell.command()), script);
        }
    }

    @AfterAll
    static void stopBridge() throws IOException {
        bridge.close();
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesCommandNames_fromAPrefix(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo co")).containsExactlyInAnyOrder("copy", "completion");
        assertThat(complete(shell, "dynamo he")).containsExactly("help");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesTheOptionsOfCopy_fromAPrefix(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo copy --ta")).containsExactlyInAnyOrder("--table", "--target", "--target-table",
                "--target-profile", "--target-region", "--target-endpoint-url");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesEnumValues(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo query -o ")).containsExactlyInAnyOrder("summary", "json", "jsonl", "ddb", "table");
        assertThat(complete(shell, "dynamo copy --mode m")).containsExactly("merge");
        assertThat(complete(shell, "dynamo completion ")).containsExactlyInAnyOrder("bash", "zsh", "fish");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesProfiles_fromTheAwsFiles(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo export --s3-profile ")).containsExactlyInAnyOrder("default", "personal", "work");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesEnvironmentsAndProfiles_whereAnEnvironmentIsExpected(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo copy -t Orders --source ")).containsExactlyInAnyOrder("staging", "engine", "default",
                "personal", "work");
        assertThat(complete(shell, "dynamo tables -e st")).containsExactly("staging");
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesTheTablesOfAnEndpoint_inAJvmOfItsOwn(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo query -e " + engine + " -t ", jvmBin)).contains(orders, customers);
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesTheTablesOfTheEnvironmentOnTheLine(Shell shell) throws Exception {
        assertThat(complete(shell, "dynamo query -e " + engine + " -t ")).contains(orders, customers);
        assertThat(complete(shell, "dynamo describe -e engine -t " + orders.substring(0, orders.length() - 2)))
                .containsExactly(orders);
        assertThat(complete(shell, "dynamo copy --source staging --target " + engine + " --target-table "))
                .as("the target's tables").contains(orders, customers);
        assertThat(complete(shell, "dynamo query -t ")).as("no environment on the line").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Shell.class)
    void completesNoTable_whenTheEndpointNeverAnswers(Shell shell) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            List<String> proposed = complete(shell, "dynamo query -e http://127.0.0.1:" + silent.getLocalPort() + " -t ", jvmBin);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(proposed).isEmpty();
            // The 2-second deadline, plus a JVM's start-up on a busy machine.
            assertThat(seconds).as("seconds to give up").isLessThan(15);
        }
    }

    /** What the shell proposes for the line, cursor at its end, with {@code dynamo} the bridge into this JVM. */
    private static List<String> complete(Shell shell, String line) throws IOException, InterruptedException {
        bridge.runs().clear();
        List<String> proposed = complete(shell, line, bin);
        for (CommandResult run : bridge.runs()) {
            assertThat(run.exitCode()).as("%s completing '%s': %s", shell.command(), line, run).isZero();
            assertThat(run.stderr()).as("stderr, %s completing '%s': %s", shell.command(), line, run).isEmpty();
        }
        return proposed;
    }

    /** What the shell proposes for the line, cursor at its end, with the {@code dynamo} of {@code path}. */
    private static List<String> complete(Shell shell, String line, Path path) throws IOException, InterruptedException {
        requireShell(shell);
        Path script = dir.resolve("completion." + shell.command());
        List<String> command = switch (shell) {
            case BASH -> List.of("bash", "--norc", "--noprofile", bashHarness(script, line).toString());
            case ZSH -> List.of("zsh", "-f", resource("zsh-capture.zsh").toString(), script.toString(), line,
                    dir.resolve("zsh.out").toString());
            case FISH -> List.of("fish", "--no-config", "-c", "source " + script + "; complete -C \"$COMPLETE_LINE\"");
        };
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("DYNAMO_"));
        env.put("HOME", dir.toString());
        env.put("PATH", path + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("AWS_CONFIG_FILE", dir.resolve("aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
        env.put("DYNAMO_CONFIG", dir.resolve("config.toml").toString());
        env.put("COMPLETE_LINE", line);
        Process process = builder.start();
        String stdout;
        String stderr;
        try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
            stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(shell.command() + " did not complete '" + line + "' within 60 s");
        }
        String context = shell.command() + " completing '" + line + "'\nstdout: " + stdout + "\nstderr: " + stderr;
        assertThat(process.exitValue()).as("exit code of %s", context).isZero();
        assertThat(stderr).as("stderr of %s", context).isEmpty();
        List<String> proposed = new ArrayList<>();
        if (shell == Shell.ZSH) {
            assertThat(Files.readString(dir.resolve("zsh.out.err"))).as("what the completion printed in zsh's prompt").isEmpty();
            stdout = Files.readString(dir.resolve("zsh.out"));
        }
        for (String proposal : stdout.lines().toList()) {
            // fish: "WORD<TAB>description"; zsh: the capture's end marker.
            String word = proposal.split("\t", 2)[0];
            if (!word.isEmpty() && !word.equals("@@DONE@@")) {
                proposed.add(word);
            }
        }
        return proposed;
    }

    /** Sets COMP_WORDS as bash does (split at whitespace, and at ':' and '='), calls the function, prints COMPREPLY. */
    private static Path bashHarness(Path script, String line) throws IOException {
        List<String> words = new ArrayList<>();
        for (String token : (line + "\u0000").split(" +")) {
            words.addAll(splitAtBreaks(token.replace("\u0000", "")));
        }
        StringBuilder harness = new StringBuilder("source '" + script + "'\n")
                .append("COMP_LINE=").append(quote(line)).append("\nCOMP_POINT=").append(line.length()).append('\n')
                .append("COMP_WORDS=(");
        words.forEach(word -> harness.append(quote(word)).append(' '));
        harness.append(")\nCOMP_CWORD=").append(words.size() - 1).append('\n')
                .append("__dynamo_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
        // COMPREPLY replaces only what follows the word's last ':' or '=': show it whole, as the line would read.
        return Files.writeString(dir.resolve("bash-harness.sh"), harness.toString());
    }

    private static List<String> splitAtBreaks(String token) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (char c : token.toCharArray()) {
            boolean isBreak = c == ':' || c == '=';
            boolean pieceIsBreak = piece.length() > 0 && (piece.charAt(0) == ':' || piece.charAt(0) == '=');
            if (piece.length() > 0 && isBreak != pieceIsBreak) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
            piece.append(c);
        }
        pieces.add(piece.toString());
        return pieces;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static Path resource(String name) throws IOException {
        Path copy = dir.resolve(name);
        if (!Files.exists(copy)) {
            try (InputStream in = ShellCompletionTest.class.getResourceAsStream("/completion/" + name)) {
                Files.copy(in, copy);
            }
        }
        return copy;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Runs {@code dynamo ARGS} for the {@code dynamo} on PATH of {@link #bin}: reads the count of the arguments and the
     * arguments, each ended by a NUL, runs them through {@code cli} and answers with the stdout; keeps every run for
     * the test to check (exit code, stderr). One connection at a time, as the shells run the completions.
     */
    private record Bridge(ServerSocket server, Cli cli, Queue<CommandResult> runs) implements AutoCloseable {
        static Bridge start(Cli cli) throws IOException {
            Bridge bridge = new Bridge(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), cli, new ConcurrentLinkedQueue<>());
            Thread thread = new Thread(bridge::serve, "completion-bridge");
            thread.setDaemon(true);
            thread.start();
            return bridge;
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    int count = Integer.parseInt(token(in));
                    List<String> args = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        args.add(token(in));
                    }
                    CommandResult result = cli.run(args.toArray(String[]::new));
                    runs.add(result);
                    OutputStream out = socket.getOutputStream();
                    out.write(result.stdout().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException | RuntimeException e) {
                    if (!server.isClosed()) {
                        runs.add(new CommandResult(List.of("(the bridge failed)"), -1, "", e.toString()));
                    }
                }
            }
        }

        private static String token(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != 0; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("the arguments ended early");
                }
                bytes.write(b);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static void requireShell(Shell shell) {
        boolean found = false;
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            found |= Files.isExecutable(Path.of(folder, shell.command()));
        }
        if (!found) {
            Assumptions.assumeFalse("1".equals(System.getenv("DYNAMO_SKIP_SHELLS")), shell.command() + " is not installed");
            throw new AssertionError(shell.command() + " is not installed: install the Debian package '" + shell.command()
                    + "' (apt-get install " + shell.command() + "), or set DYNAMO_SKIP_SHELLS=1 to skip these tests");
        }
    }
}
