import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local has no bind-address option and listens on every interface; its Jetty connectors
 * can be given a host before start, which is what this does. It is compiled by the build against
 * DynamoDB Local's own classpath (target/dynamodb-local/lib) and runs in a JVM of its own, so
 * DynamoDB Local keeps the AWS SDK version it was built with. It is never part of dynamo.jar.
 *
 * <p>Arguments: {@code [--port N] [--db-path DIR] [--exit-on-stdin-eof]}. Port 0 (the default)
 * takes a free port. Once listening it prints one line to stdout:
 * {@code dynamodb-local listening on 127.0.0.1:41234}
 * and exits 1, without serving, if any connector is bound anywhere but the loopback address.
 */
public final class LocalDynamoDbServer {
    private static final String LOOPBACK = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        int port = 0;
        String dbPath = null;
        boolean exitOnStdinEof = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--db-path" -> dbPath = args[++i];
                case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
                default -> {
                    System.err.println("unknown argument: " + args[i]
                            + " (expected --port N, --db-path DIR, --exit-on-stdin-eof)");
                    System.exit(2);
                }
            }
        }
        // DynamoDB Local refuses port 0, so it gets a placeholder and the connector gets the real port below.
        List<String> ddbArgs = new ArrayList<>(List.of("-port", "8000", "-sharedDb", "-disableTelemetry"));
        if (dbPath == null) {
            ddbArgs.add("-inMemory");
        } else {
            ddbArgs.addAll(List.of("-dbPath", dbPath));
        }
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(ddbArgs.toArray(String[]::new));
        Server jetty = jettyOf(proxy);
        for (Connector connector : jetty.getConnectors()) {
            ((ServerConnector) connector).setHost(LOOPBACK);
            ((ServerConnector) connector).setPort(port);
        }
        proxy.start();
        int boundPort = -1;
        for (Connector connector : jetty.getConnectors()) {
            ServerConnector serverConnector = (ServerConnector) connector;
            InetSocketAddress local = (InetSocketAddress) ((ServerSocketChannel) serverConnector.getTransport()).getLocalAddress();
            if (!local.getAddress().isLoopbackAddress()) {
                System.err.println("DynamoDB Local bound to " + local + ", not to the loopback address; stopping");
                proxy.stop();
                System.exit(1);
            }
            boundPort = serverConnector.getLocalPort();
        }
        System.out.println("dynamodb-local listening on " + LOOPBACK + ":" + boundPort);
        System.out.flush();
        if (exitOnStdinEof) {
            // The parent (a test run) holds our stdin: when it dies, we stop too, so no server outlives it.
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // keep reading until the parent closes the pipe
                    }
                } catch (IOException ignored) {
                    // a broken pipe means the parent is gone, as EOF does
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        proxy.join();
    }

    private static Server jettyOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        return (Server) field.get(proxy);
    }

    private LocalDynamoDbServer() {
    }
}
