package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * scripts find {@code dynamo} on PATH: a wrapper that runs this classpath's Main, as the installed launcher runs the jar.
 * A missing shell fails the test, naming its Debian package, unless DYNAMO_SKIP_SHELLS=1.
 */
@EngineTest
class ShellCompletionTest {
    @TempDir
    static Path dir;
    private static Path bin;
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
        bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path wrapper = Files.writeString(bin.resolve("dynamo"), "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 "
                + "-XX:+UseSerialGC -Xshare:auto -Daws.disableEc2Metadata=true -cp '" + System.getProperty("java.class.path")
                + "' dev.dynamo.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("aws-config"), "[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n");
        Files.writeString(dir.resolve("aws-credentials"), "[personal]\naws_access_key_id = a\naws_secret_access_key = b\n");
        Files.writeString(dir.resolve("config.toml"), "[env.staging]\nprofile = \"work\"\n[env.engine]\nendpoint = \"" + engine + "\"\n");
        for (Shell shell : Shell.values()) {
            String script = Cli.isolated(dir).succeed("completion", shell.command()).stdout();
            Files.writeString(dir.resolve("completion." + shell.command()), script);
        }
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
            List<String> proposed = complete(shell, "dynamo query -e http://127.0.0.1:" + silent.getLocalPort() + " -t ");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(proposed).isEmpty();
            // The 2-second deadline, plus a JVM's start-up on a busy machine.
            assertThat(seconds).as("seconds to give up").isLessThan(15);
        }
    }

    /** What the shell proposes for the line, cursor at its end. */
    private static List<String> complete(Shell shell, String line) throws IOException, InterruptedException {
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
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
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
