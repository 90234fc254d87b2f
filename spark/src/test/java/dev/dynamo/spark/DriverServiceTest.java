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
            assertThat(get(http, driver, "/lease?task=a")).isEqualTo("100.0 400.0 0");
            String b = get(http, driver, "/lease?task=b");
            assertThat(b).startsWith("50.0 200.0 ");
            assertThat(driver.leasesHeld()).isEqualTo(2);
            assertThat(get(http, driver, "/lease?task=a")).as("a renewing never waits").isEqualTo("50.0 200.0 0");
            get(http, driver, "/lease?task=b&end");
            assertThat(driver.leasesHeld()).isEqualTo(1);
            assertThat(get(http, driver, "/lease?task=a")).isEqualTo("100.0 400.0 0");
        }
    }

    @Test
    void aStartingTaskWaits_untilTheOthersHaveRenewedAndTakenTheirSmallerShares() {
        long second = 1_000_000_000L;
        try (DriverService driver = DriverService.start("127.0.0.1", 0, 400, (task, result) -> true)) {
            assertThat(driver.grant("a", false, 10 * second)).containsExactly(0, 400, 0);
            // a renewed at 10 s holding all 400; b at 10.2 s must wait until a's next renewal (by 10.75 s): 550 ms.
            assertThat(driver.grant("b", false, 10 * second + 200_000_000L)).containsExactly(0, 200, 550);
            // a renews at 10.5 s: 200; c starts at 10.6 s: 133 each, but a and b hold 400: c waits until both have renewed,
            // the later being a's (10.5 + 0.75 s).
            assertThat(driver.grant("a", false, 10 * second + 500_000_000L)[1]).isEqualTo(200);
            double[] c = driver.grant("c", false, 10 * second + 600_000_000L);
            assertThat(c[1]).isCloseTo(133.33, org.assertj.core.data.Offset.offset(0.01));
            assertThat(c[2]).isEqualTo(650);
            // b ends; d starts when a and c hold 200 + 133 of 400 and its fair share is 133: too much, it waits.
            driver.grant("b", true, 11 * second);
            assertThat(driver.grant("d", false, 11 * second)[2]).isPositive();
            // A task starting alone, or into room the others left free, never waits.
            driver.grant("a", true, 12 * second);
            driver.grant("c", true, 12 * second);
            driver.grant("d", true, 12 * second);
            assertThat(driver.grant("e", false, 12 * second)).containsExactly(0, 400, 0);
        }
    }

    private static String get(HttpClient http, DriverService driver, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(driver.address() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
