package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.items.DynamoJson;
import dev.dynamo.pipeline.SegmentAcks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running task's position, sent to the driver ({@link DriverService}, {@code POST /position?task=N}) every
 * {@link #REPORT_MILLIS} when it moved, by a daemon thread on the executor. A lost report costs nothing but a longer
 * re-read after a kill: it is logged, never fatal. For a copy the position is the segment's {@link SegmentAcks}
 * checkpoint, as JSON ({@link #toJson}, {@link #fromJson}):
 * <pre>
 * {"pages":12,"items":1200,"key":{"pk":{"S":"a#17"},"sk":{"N":"4"}}}
 * </pre>
 */
final class PositionReport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PositionReport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long REPORT_MILLIS = 2_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String driver;
    private final int task;
    private final Supplier<ObjectNode> position;
    private final Thread thread;
    private volatile boolean closed;
    private ObjectNode lastSent;

    private PositionReport(String driver, int task, Supplier<ObjectNode> position) {
        this.driver = driver;
        this.task = task;
        this.position = position;
        this.thread = new Thread(this::run, "dynamo-position-" + task);
        thread.setDaemon(true);
    }

    /**
     * Starts reporting task {@code task}'s position until closed.
     *
     * @param position the position now, or null when there is none to report (nothing written yet, or no longer
     *                 reportable); called from the report's thread
     */
    static PositionReport start(String driver, int task, Supplier<ObjectNode> position) {
        PositionReport report = new PositionReport(driver, task, position);
        report.thread.start();
        return report;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(REPORT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            ObjectNode now = position.get();
            if (closed || now == null || Objects.equals(now, lastSent)) {
                continue;
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(driver + "/position?task=" + task))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(now))).build();
                HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 204) {
                    lastSent = now;
                } else {
                    LOG.warn("task {}'s position was refused by the driver: HTTP {} {}", task, answer.statusCode(), answer.body());
                }
            } catch (IOException e) {
                LOG.warn("task {}'s position did not reach the driver at {}: {}", task, driver, e.toString());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops reporting (the task ends: its result says the rest). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    /** A segment's position as JSON, or null for one with nothing written yet. */
    static ObjectNode toJson(SegmentAcks.Checkpoint checkpoint) {
        if (checkpoint.finished() || checkpoint.resumeKey() == null) {
            return null;
        }
        ObjectNode json = JSON.createObjectNode().put("pages", checkpoint.completedPages()).put("items", checkpoint.completedItems());
        try {
            json.set("key", JSON.readTree(DynamoJson.toJson(checkpoint.resumeKey())));
        } catch (IOException e) {
            throw new IllegalStateException("DynamoDB JSON always reads as JSON", e);
        }
        return json;
    }

    /**
     * A segment's position from its JSON.
     *
     * @throws DynamoException (usage) for a damaged position, naming where it came from
     */
    static SegmentAcks.Checkpoint fromJson(int segment, JsonNode json, String where) {
        try {
            long pages = json.path("pages").asLong(-1);
            long items = json.path("items").asLong(-1);
            if (pages < 1 || items < 0 || !json.path("key").isObject()) {
                throw new IOException("no pages, items or key");
            }
            return new SegmentAcks.Checkpoint(segment, pages, items, DynamoJson.readItem(json.path("key"), "key"), false);
        } catch (IOException | IllegalArgumentException e) {
            throw DynamoException.usage("the position of segment " + segment + " in " + where + " is damaged (" + e.getMessage()
                    + "); run without --resume to start the job anew");
        }
    }
}
