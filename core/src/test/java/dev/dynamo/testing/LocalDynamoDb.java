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
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB engine a test talks to: a dynalite server (an open-source DynamoDB engine on Node.js,
 * in memory) started by this harness on a free port of 127.0.0.1, or, when {@code DYNAMO_TEST_ENDPOINT}
 * names one, a DynamoDB-compatible endpoint someone else runs (DynamoDB Local, LocalStack, ScyllaDB
 * Alternator, or AWS itself).
 *
 * <p>A started server runs {@code dev/engine/server.js}, which binds it to 127.0.0.1 only; it reads our
 * stdin and exits when it closes, so it cannot outlive the test JVM even after a kill -9. On an
 * external endpoint, {@link #close()} deletes the tables this run created there (their names carry the
 * run's token, see {@link TestTables#uniqueName}).
 */
public final class LocalDynamoDb implements AutoCloseable {
    /** The primary endpoint of an engine someone else runs, e.g. http://127.0.0.1:8000. */
    public static final String ENDPOINT_VARIABLE = "DYNAMO_TEST_ENDPOINT";
    /** The second endpoint (the second "account") of such an engine; without it a dynalite is started. */
    public static final String SECOND_ENDPOINT_VARIABLE = "DYNAMO_TEST_SECOND_ENDPOINT";

    private static final Pattern LISTENING = Pattern.compile("dynalite listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 60;

    private final String name;
    private final Process process;
    private final URI endpoint;
    private final DynamoDbClient client;

    private LocalDynamoDb(String name, Process process, URI endpoint) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(endpoint))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
                .build();
    }

    /** The engine for {@code name} ("primary" or "second"): the configured endpoint, or a new dynalite. */
    public static LocalDynamoDb start(String name) {
        String configured = configuredEndpoint(name);
        if (configured != null) {
            return new LocalDynamoDb(name, null, URI.create(configured));
        }
        return startDynalite(name);
    }

    /** The endpoint configured for {@code name}, or null when the harness starts its own dynalite. */
    static String configuredEndpoint(String name) {
        String variable = "second".equals(name) ? SECOND_ENDPOINT_VARIABLE : ENDPOINT_VARIABLE;
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            value = System.getProperty(variable);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Starts an in-memory dynalite of our own and waits until it answers on 127.0.0.1 only. */
    public static LocalDynamoDb startDynalite(String name) {
        Path engine = EngineInstall.ensureInstalled();
        // dynalite keeps an in-memory table in Node's heap: the benchmark's 1M items need more than the default.
        String heapMib = System.getProperty("dynamo.engine.heapMib", "4096");
        List<String> command = List.of(EngineInstall.node(), "--max-old-space-size=" + heapMib,
                engine.resolve("server.js").toString(), "--port", "0", "--exit-on-stdin-eof");
        Process process;
        try {
            Path log = Files.createTempFile("dynalite-" + name + "-", ".log");
            process = new ProcessBuilder(command).directory(engine.toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start dynalite: " + e.getMessage(), e);
        }
        int port = awaitPort(process, name);
        LocalDynamoDb server = new LocalDynamoDb(name, process, URI.create("http://127.0.0.1:" + port));
        server.checkLoopbackOnly(port);
        return server;
    }

    private static AwsCredentialsProvider credentials(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return local ? StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))
                : DefaultCredentialsProvider.builder().build();
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
        }, "dynalite-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        synchronized (port) {
            while (port[0] < 0 && process.isAlive() && System.nanoTime() < deadline) {
                try {
                    port.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                    throw new IllegalStateException("interrupted while starting dynalite", e);
                }
            }
        }
        if (port[0] < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("dynalite '" + name + "' did not start within " + START_TIMEOUT_SECONDS
                    + " s (exit " + (process.isAlive() ? "none" : process.exitValue()) + ")");
        }
        return port[0];
    }

    /** Fails unless the server answers on 127.0.0.1 and refuses the machine's other addresses. */
    private void checkLoopbackOnly(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        } catch (IOException e) {
            close();
            throw new IllegalStateException("dynalite does not answer on 127.0.0.1:" + port, e);
        }
        for (InetAddress address : nonLoopbackAddresses()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                close();
                throw new IllegalStateException("dynalite also listens on " + address.getHostAddress() + ":" + port
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

    /** True when this harness started the engine (dynalite); false for an endpoint someone else runs. */
    public boolean isOwnDynalite() {
        return process != null;
    }

    public int port() {
        return endpoint.getPort();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The endpoint as a dynamo environment (what users pass to -e/--source/--target). */
    public String env() {
        return endpoint.toString();
    }

    /** A client for setting up and checking test data (not the client the tool builds). */
    public DynamoDbClient client() {
        return client;
    }

    /** The engine's process id (the benchmark reads its CPU time), or -1 for an endpoint someone else runs. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isAlive() {
        return process == null || process.isAlive();
    }

    @Override
    public void close() {
        if (process == null) {
            TestTables.deleteThisRunsTables(client);
            client.close();
            return;
        }
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
