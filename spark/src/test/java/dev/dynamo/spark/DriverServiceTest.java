package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's service without Spark: task reports recorded once in a real checkpoint, rate shares, bad requests. */
class DriverServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void recordsTheFirstReportOfATask_andRefusesALaterAttempt() throws Exception {
        SparkCheckpoint checkpoint = new SparkCheckpoint(folder.resolve("checkpoint"));
        checkpoint.begin("copy", Map.of("source", "a"), 8);
        try (DriverService driver = DriverService.start("127.0.0.1", 0, 0, checkpoint::finish)) {
            ObjectNode first = JSON.createObjectNode().put("scanned", 12);
            assertThat(TaskReport.send(driver.address(), 3, first)).isTrue();
            assertThat(TaskReport.send(driver.address(), 3, JSON.createObjectNode().put("scanned", 99))).isFalse();
            assertThat(TaskReport.send(driver.address(), 5, JSON.createObjectNode())).isTrue();
        }
        assertThat(checkpoint.finished()).containsExactly(3, 5);
        assertThat(checkpoint.results().get(3).path("scanned").asLong()).isEqualTo(12);
        // A resumed job's service refuses tasks the checkpoint holds already.
        try (DriverService driver = DriverService.start("127.0.0.1", 0, 0, checkpoint::finish)) {
            assertThat(TaskReport.send(driver.address(), 5, JSON.createObjectNode())).isFalse();
        }
    }

    @Test
    void answersMalformedReportsWith400_andATaskFailsWhenTheDriverCannotRecord() throws Exception {
        try (DriverService driver = DriverService.start("127.0.0.1", 0, 0, (task, result) -> {
            throw new IllegalStateException("disk full");
        })) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create(driver.address() + "/done?task=1"))
                    .POST(HttpRequest.BodyPublishers.ofString("[1,2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(notJson.statusCode()).isEqualTo(400);
            HttpResponse<String> noTask = http.send(HttpRequest.newBuilder(URI.create(driver.address() + "/done"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noTask.statusCode()).isEqualTo(400);
            assertThatThrownBy(() -> TaskReport.send(driver.address(), 1, JSON.createObjectNode()))
                    .isInstanceOf(DynamoException.class).hasMessageContaining("could not report").hasMessageContaining("disk full");
        }
    }

    @Test
    void splitsTheRateAmongTheLeasesHeld() throws Exception {
        try (DriverService driver = DriverService.start("127.0.0.1", 100, 400, (task, result) -> true)) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, driver, "/lease?task=a")).isEqualTo("100.0 400.0");
            assertThat(get(http, driver, "/lease?task=b")).isEqualTo("50.0 200.0");
            assertThat(driver.leasesHeld()).isEqualTo(2);
            assertThat(get(http, driver, "/lease?task=b&end")).isEqualTo("100.0 400.0");
            assertThat(driver.leasesHeld()).isEqualTo(1);
        }
    }

    private static String get(HttpClient http, DriverService driver, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(driver.address() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
