package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code dev/local-dynamodb COMMAND --help} prints the usage and exits 0, and starts nothing. */
class LocalDynamodbScriptTest {
    private static final Path ROOT = Path.of(System.getProperty("dynamo.root.dir", "..")).toAbsolutePath().normalize();

    @ParameterizedTest(name = "dev/local-dynamodb {0}")
    @ValueSource(strings = {"start --help", "start -h", "stop --help", "status --help", "help", "--help", "-h",
        "start --port PORT --help"})
    void printsUsage_andExitsZero_withoutStartingAnEngine(String arguments) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("dev/local-dynamodb").toString()));
        for (String word : arguments.replace("PORT", Integer.toString(port)).split(" ")) {
            command.add(word);
        }
        Path out = Files.createTempFile("local-dynamodb", ".out");
        Path err = Files.createTempFile("local-dynamodb", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s ends", command).isTrue();

            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code of %s; stderr: %s", command, Files.readString(err)).isZero();
            assertThat(stdout).startsWith("Starts and stops a local DynamoDB engine")
                    .contains("dev/local-dynamodb start [--port 8000]", "dev/local-dynamodb stop", "dev/local-dynamodb status");
            assertThat(Files.readString(err, StandardCharsets.UTF_8)).isEmpty();
            assertThat(ROOT.resolve("dev/engine/run/engine-" + port + ".pid")).doesNotExist();
            assertThat(freeNow(port)).as("port %d is still free", port).isTrue();
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean freeNow(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
