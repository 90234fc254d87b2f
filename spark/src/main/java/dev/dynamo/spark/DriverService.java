package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a job's tasks ask of the driver while they run, over HTTP on the driver's address ({@code spark.driver.host};
 * 127.0.0.1 for a local master): their share of the job's rates, and the recording of their results in the
 * checkpoint. Why not Spark's own channels: accumulators and listener events reach the driver only after a task ends
 * and carry no result of ours; an action's results come at the job's end. A task that reports here is recorded before
 * it returns, so a driver killed a moment later still knows it, and a checkpoint on the driver's disk works on a
 * cluster too. Thread-safe.
 *
 * <p><b>Rates.</b> Each running task holds a lease, renewed every {@link RateLease#RENEW_MILLIS}, and is answered its
 * share, the rate divided by the leases held. When a task ends its lease is given back (or lapses after
 * {@link #LEASE_MILLIS} without renewal: a task that died), and the others' shares grow at their next renewal, so the
 * last tasks of a job use the whole rate. (A fixed share of rate / slots holds the limit too, but the tail of a job,
 * fewer tasks than slots, would run below it.) A task that starts while the others hold more than the rate leaves it
 * is told to wait until each of them has renewed and so taken its smaller share (at most {@link #RENEW_WAIT_MILLIS}):
 * measured, letting it start at once ran two overlapping tasks 12% above a --max-wcu of 400 for a moment. (A small
 * first share instead would not do: a limiter's waiters sleep out a debt at the rate they found.)
 * {@code GET /lease?task=ID} takes or renews a lease and answers {@code READ WRITE WAIT} (units per second, {@code 0}
 * for no limit; milliseconds to wait before using them); {@code GET /lease?task=ID&end} gives it back.
 *
 * <p><b>Results.</b> {@code POST /done?task=N} with a JSON object: task N's work is finished and this is what it did
 * (for a copy, its counts; for an export, its data files). The first attempt of a task to report is recorded, through
 * the job's {@link Recorder} (which writes the checkpoint), and answered 200; a later attempt of the same task (Spark
 * retried a task whose report had already arrived, or ran a speculative copy) is answered 409, and undoes what only it
 * made (an export attempt deletes its own files). 400 for a malformed report; 500 when recording failed (the task
 * fails, and Spark retries it).
 *
 * <p><b>Positions.</b> {@code POST /position?task=N} with a JSON object: where unfinished task N stands now (for a
 * copy, the scan position up to which its segment is written), sent every few seconds by a running task
 * ({@link PositionReport}). Handed to the job's {@link PositionRecorder} (the checkpoint keeps the latest in memory and
 * saves them now and then), answered 204; 404 when the job records no positions.
 */
final class DriverService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A lease not renewed for this long is the lease of a task that died. */
    static final long LEASE_MILLIS = 5_000;
    /** The largest task report read: an export task's list of data files fits many times over. */
    static final int MAX_REPORT_BYTES = 16 * 1024 * 1024;
    /** The largest position read: a scan position is a key of at most 2 KiB, as DynamoDB JSON. */
    static final int MAX_POSITION_BYTES = 64 * 1024;

    /** Records a task's result; called once per task, from the service's threads, serialised by the service. */
    @FunctionalInterface
    interface Recorder {
        /** @return false when the task was recorded already (by an earlier job of a resume, or another attempt) */
        boolean record(int task, JsonNode result);
    }

    /** Remembers where an unfinished task stands; called from the service's threads, often: it must be cheap. */
    @FunctionalInterface
    interface PositionRecorder {
        void record(int task, JsonNode position);
    }

    private final double readUnits;
    private final double writeUnits;
    private final Recorder recorder;
    private final PositionRecorder positions;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "dynamo-driver-service");
        thread.setDaemon(true);
        return thread;
    });
    /** Task id to the nanoTime of its last renewal. */
    private final Map<String, Long> leases = new ConcurrentHashMap<>();
    /** Task id to its granted {read, write} units per second; changed only under {@code this}. */
    private final Map<String, double[]> grants = new ConcurrentHashMap<>();
    /** The longest a starting task waits for the others to renew: a renewal period and a margin for its round trip. */
    static final long RENEW_WAIT_MILLIS = RateLease.RENEW_MILLIS + 250;

    private DriverService(double readUnits, double writeUnits, Recorder recorder, PositionRecorder positions, HttpServer server) {
        this.readUnits = readUnits;
        this.writeUnits = writeUnits;
        this.recorder = recorder;
        this.positions = positions;
        this.server = server;
    }

    /**
     * Starts the service of one job on {@code host}, a free port.
     *
     * @param readUnits  the whole job's read units per second, 0 for no limit
     * @param writeUnits the whole job's write units per second, 0 for no limit
     * @param recorder   where finished tasks' results go (the checkpoint)
     */
    static DriverService start(String host, double readUnits, double writeUnits, Recorder recorder) {
        return start(host, readUnits, writeUnits, recorder, null);
    }

    /**
     * As {@link #start(String, double, double, Recorder)}, also taking the running tasks' positions.
     *
     * @param positions where the positions go (the checkpoint), or null for a job that records none
     */
    static DriverService start(String host, double readUnits, double writeUnits, Recorder recorder, PositionRecorder positions) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 64);
            DriverService service = new DriverService(readUnits, writeUnits, recorder, positions, server);
            server.createContext("/lease", service::lease);
            server.createContext("/done", service::done);
            server.createContext("/position", service::position);
            server.setExecutor(service.threads);
            server.start();
            return service;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the driver's service on " + host + ": " + e.getMessage(), e);
        }
    }

    /** Where the tasks reach it, e.g. {@code http://127.0.0.1:40123}. */
    String address() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    /** The leases held now (tasks running under the limit). */
    synchronized int leasesHeld() {
        expire(System.nanoTime());
        return leases.size();
    }

    private void lease(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange);
        String task = query.get("task");
        if (task == null) {
            answer(exchange, 400, "task=ID missing");
            return;
        }
        double[] granted = grant(task, query.containsKey("end"), System.nanoTime());
        // 12.5 250.0 480
        answer(exchange, 200, String.format(Locale.ROOT, "%s %s %d", granted[0], granted[1], (long) granted[2]));
    }

    /**
     * Takes, renews or ends {@code task}'s lease.
     *
     * @return its read and write shares (an ended lease's: what it would get, unused), and the milliseconds a starting
     *         task must wait before using them
     */
    synchronized double[] grant(String task, boolean end, long now) {
        boolean starting = !end && !leases.containsKey(task);
        if (end) {
            leases.remove(task);
            grants.remove(task);
        } else {
            leases.put(task, now);
        }
        expire(now);
        int held = Math.max(1, leases.size());
        double[] share = {readUnits / held, writeUnits / held, 0};
        if (starting && (overcommitted(readUnits, share[0], 0) || overcommitted(writeUnits, share[1], 1))) {
            long latest = now;
            for (Map.Entry<String, Long> lease : leases.entrySet()) {
                if (!lease.getKey().equals(task)) {
                    latest = Math.max(latest, lease.getValue() + TimeUnit.MILLISECONDS.toNanos(RENEW_WAIT_MILLIS));
                }
            }
            share[2] = TimeUnit.NANOSECONDS.toMillis(latest - now);
        }
        if (!end) {
            grants.put(task, share);
        }
        return share;
    }

    /** Whether the others hold more than {@code rate} leaves for a share of {@code fair}. */
    private boolean overcommitted(double rate, double fair, int kind) {
        double others = 0;
        for (double[] granted : grants.values()) {
            others += granted[kind];
        }
        return rate > 0 && others + fair > rate * (1 + 1e-9);
    }

    private void done(HttpExchange exchange) throws IOException {
        int task;
        JsonNode result;
        try (InputStream body = exchange.getRequestBody()) {
            task = Integer.parseInt(query(exchange).getOrDefault("task", "-1"));
            byte[] bytes = body.readNBytes(MAX_REPORT_BYTES + 1);
            result = bytes.length > MAX_REPORT_BYTES ? null : JSON.readTree(bytes);
        } catch (NumberFormatException | IOException e) {
            answer(exchange, 400, "a report is POST /done?task=N with a JSON object: " + e.getMessage());
            return;
        }
        if (task < 0 || result == null || !result.isObject()) {
            answer(exchange, 400, "a report is POST /done?task=N with a JSON object");
            return;
        }
        boolean recorded;
        try {
            synchronized (recorder) {
                recorded = recorder.record(task, result);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot record task {}: {}", task, e.toString());
            answer(exchange, 500, "cannot record task " + task + ": " + e.getMessage());
            return;
        }
        answer(exchange, recorded ? 200 : 409, recorded ? "recorded" : "task " + task + " was recorded already");
    }

    private void position(HttpExchange exchange) throws IOException {
        if (positions == null) {
            answer(exchange, 404, "this job records no positions");
            return;
        }
        int task;
        JsonNode position;
        try (InputStream body = exchange.getRequestBody()) {
            task = Integer.parseInt(query(exchange).getOrDefault("task", "-1"));
            byte[] bytes = body.readNBytes(MAX_POSITION_BYTES + 1);
            position = bytes.length > MAX_POSITION_BYTES ? null : JSON.readTree(bytes);
        } catch (NumberFormatException | IOException e) {
            answer(exchange, 400, "a position is POST /position?task=N with a JSON object: " + e.getMessage());
            return;
        }
        if (task < 0 || position == null || !position.isObject()) {
            answer(exchange, 400, "a position is POST /position?task=N with a JSON object of at most " + MAX_POSITION_BYTES + " bytes");
            return;
        }
        try {
            positions.record(task, position);
        } catch (RuntimeException e) {
            LOG.warn("cannot record task {}'s position: {}", task, e.toString());
            answer(exchange, 500, "cannot record task " + task + "'s position: " + e.getMessage());
            return;
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> parts = new HashMap<>();
        String query = exchange.getRequestURI().getQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                int equals = part.indexOf('=');
                parts.put(equals < 0 ? part : part.substring(0, equals), equals < 0 ? "" : part.substring(equals + 1));
            }
        }
        return parts;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void expire(long now) {
        leases.values().removeIf(renewed -> now - renewed > TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));
        grants.keySet().retainAll(leases.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
