package dev.dynamo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's report of its finished work to the driver ({@link DriverService}, {@code POST /done}), on the executor: the
 * last thing a task does. Tried a few times over a lost connection or a driver that could not record it; a task whose
 * report does not get through fails, and Spark runs it again (its work is idempotent).
 */
final class TaskReport {
    private static final Logger LOG = LoggerFactory.getLogger(TaskReport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 4;
    static final long FIRST_PAUSE_MILLIS = 500;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TaskReport() {
    }

    /**
     * Reports task {@code task} finished with {@code result}.
     *
     * @return true when this attempt's result was recorded; false when another attempt of the task was recorded first
     *         (this attempt should then undo what only it made)
     * @throws DynamoException (failure) when the driver cannot be reached or cannot record it after {@link #ATTEMPTS}
     */
    static boolean send(String driver, int task, ObjectNode result) throws InterruptedException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new IllegalStateException("a task result always writes as JSON", e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(driver + "/done?task=" + task)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        String problem = null;
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                switch (answer.statusCode()) {
                    case 200:
                        return true;
                    case 409:
                        return false;
                    case 400:
                        throw new IllegalStateException("the driver refused task " + task + "'s report: " + answer.body());
                    default:
                        problem = "HTTP " + answer.statusCode() + " " + answer.body();
                }
            } catch (IOException e) {
                problem = e.toString();
            }
            LOG.warn("task {}'s report to the driver at {} failed ({}), attempt {} of {}", task, driver, problem, attempt, ATTEMPTS);
            if (attempt < ATTEMPTS) {
                Thread.sleep(pause);
                pause *= 2;
            }
        }
        throw DynamoException.failure("task " + task + " could not report to the driver at " + driver + ": " + problem, null);
    }
}
