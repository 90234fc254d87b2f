package dev.dynamo.spark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Splits a job's {@code --max-rcu} and {@code --max-wcu} among the tasks running now, on the driver: each running
 * task holds a lease, renewed every {@link RateLease#RENEW_MILLIS}, and is answered its share, the rate divided by the
 * leases held. When a task ends its lease is given back (or lapses after {@link #LEASE_MILLIS} without renewal: a
 * task that died), and the others' shares grow at their next renewal, so the last tasks of a job use the whole rate.
 *
 * <p>Why not a fixed share of rate / slots: that holds the limit too, but the tail of a job (fewer tasks than slots)
 * would run below it. A task that starts takes its safe share (rate / slots) until it is first answered, so the
 * sum of shares never exceeds the rate by more than the new tasks' safe shares for one renewal period.
 *
 * <p>HTTP on the driver's address ({@code spark.driver.host}; 127.0.0.1 for a local master):
 * {@code GET /lease?task=ID} takes or renews a lease and answers {@code READ WRITE} (units per second, {@code 0} for no
 * limit); {@code GET /lease?task=ID&end} gives it back. Thread-safe.
 */
final class RateCoordinator implements AutoCloseable {
    /** A lease not renewed for this long is the lease of a task that died. */
    static final long LEASE_MILLIS = 5_000;

    private final double readUnits;
    private final double writeUnits;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "dynamo-rate-coordinator");
        thread.setDaemon(true);
        return thread;
    });
    /** Task id to the nanoTime of its last renewal. */
    private final Map<String, Long> leases = new ConcurrentHashMap<>();

    private RateCoordinator(double readUnits, double writeUnits, HttpServer server) {
        this.readUnits = readUnits;
        this.writeUnits = writeUnits;
        this.server = server;
    }

    /** Starts a coordinator of the whole job's rates on {@code host}, a free port. */
    static RateCoordinator start(String host, double readUnits, double writeUnits) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 64);
            RateCoordinator coordinator = new RateCoordinator(readUnits, writeUnits, server);
            server.createContext("/lease", coordinator::answer);
            server.setExecutor(coordinator.threads);
            server.start();
            return coordinator;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the rate coordinator on " + host + ": " + e.getMessage(), e);
        }
    }

    /** Where the tasks reach it, e.g. {@code http://127.0.0.1:40123}. */
    String address() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    /** The leases held now (tasks running under the limit). */
    int leasesHeld() {
        expire(System.nanoTime());
        return leases.size();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        String task = null;
        boolean end = false;
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("task=")) {
                    task = part.substring("task=".length());
                } else if (part.equals("end")) {
                    end = true;
                }
            }
        }
        int status = 200;
        String body;
        if (task == null) {
            status = 400;
            body = "task=ID missing";
        } else {
            long now = System.nanoTime();
            if (end) {
                leases.remove(task);
            } else {
                leases.put(task, now);
            }
            expire(now);
            int held = Math.max(1, leases.size());
            // 12.5 250
            body = String.format(Locale.ROOT, "%s %s", readUnits / held, writeUnits / held);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void expire(long now) {
        leases.values().removeIf(renewed -> now - renewed > TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
