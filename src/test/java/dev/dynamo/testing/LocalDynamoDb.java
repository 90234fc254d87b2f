package dev.dynamo.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real DynamoDB Local server (in memory) in a JVM of its own, on a free port of 127.0.0.1.
 *
 * <p>It runs from target/dynamodb-local, which the build fills with DynamoDB Local's own classpath
 * and the launcher that binds it to the loopback address. The server reads our stdin and exits when
 * it closes, so it cannot outlive the test JVM even after a kill -9.
 */
public final class LocalDynamoDb implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("dynamodb-local listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 90;

    private final String name;
    private final Process process;
    private final int port;
    private final DynamoDbClient client;

    private LocalDynamoDb(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.client = DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
                .build();
    }

    /** Starts a server and waits until it answers. */
    public static LocalDynamoDb start(String name) {
        Path home = Path.of(System.getProperty("dynamodb.local.dir", "target/dynamodb-local"));
        if (!Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("launcher"))) {
            throw new IllegalStateException(home + " has no DynamoDB Local; run the build (./mvnw -B verify), which puts it there");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseParallelGC",
                "-Djava.library.path=" + home.resolve("native"),
                "-cp", home.resolve("launcher") + java.io.File.pathSeparator + home.resolve("lib") + java.io.File.separator + "*",
                "LocalDynamoDbServer", "--port", "0", "--exit-on-stdin-eof"));
        Process process;
        try {
            Path log = Files.createTempFile("dynamodb-local-" + name + "-", ".log");
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start DynamoDB Local: " + e.getMessage(), e);
        }
        int port = awaitPort(process, name);
        LocalDynamoDb server = new LocalDynamoDb(name, process, port);
        server.checkLoopbackOnly();
        return server;
    }

    private static int awaitPort(Process process, String name) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        int[] port = {-1};
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        synchronized (port) {
                            port[0] = Integer.parseInt(matcher.group(1));
                            port.notifyAll();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended; the wait below notices
            }
        }, "dynamodb-local-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        synchronized (port) {
            while (port[0] < 0 && process.isAlive() && System.nanoTime() < deadline) {
                try {
                    port.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                    throw new IllegalStateException("interrupted while starting DynamoDB Local", e);
                }
            }
        }
        if (port[0] < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("DynamoDB Local '" + name + "' did not start within " + START_TIMEOUT_SECONDS
                    + " s (exit " + (process.isAlive() ? "none" : process.exitValue()) + ")");
        }
        return port[0];
    }

    /** Fails unless the server answers on 127.0.0.1 and refuses the machine's other addresses. */
    private void checkLoopbackOnly() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        } catch (IOException e) {
            throw new IllegalStateException("DynamoDB Local does not answer on 127.0.0.1:" + port, e);
        }
        for (InetAddress address : nonLoopbackAddresses()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                close();
                throw new IllegalStateException("DynamoDB Local also listens on " + address.getHostAddress() + ":" + port
                        + "; it must listen on 127.0.0.1 only");
            } catch (ConnectException | SocketTimeoutException expected) {
                // refused: as it should be
            } catch (IOException other) {
                // unreachable address: not listening there either
            }
        }
    }

    static List<InetAddress> nonLoopbackAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!networkInterface.isUp() || networkInterface.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(networkInterface.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        addresses.add(address);
                    }
                }
            }
        } catch (IOException e) {
            // no interfaces to check
        }
        return addresses;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The endpoint as a dynamo environment (what users pass to -e/--source/--target). */
    public String env() {
        return endpoint().toString();
    }

    /** A client for setting up and checking test data (not the client the tool builds). */
    public DynamoDbClient client() {
        return client;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
