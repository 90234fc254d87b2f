package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.env.DamagedAnswer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Counts in engine messages read right: singular for one, thousands separated (golden strings). */
class CountWordingTest {
    @Test
    void saysOneRetry_notOneRetries() {
        SdkException last = SdkClientException.create("Read timed out");
        assertThat(new Retrier.RetriesExhaustedException(last, 1).getMessage()).endsWith("(still failing after 1 retry)");
        assertThat(new Retrier.RetriesExhaustedException(last, 1_000).getMessage()).endsWith("(still failing after 1,000 retries)");
    }

    @Test
    void saysAPageOfLimitOneItem() {
        assertThatThrownBy(() -> DamagedAnswer.checkPage("Query", 1, true, 1, 1, 1, false, null, Map.of()))
                .hasMessage("damaged Query answer: a page of Limit 1 item without a LastEvaluatedKey");
        assertThatThrownBy(() -> DamagedAnswer.checkPage("Query", 2, true, 1, 2, null, false, null, Map.of()))
                .hasMessage("damaged Query answer: Count 2 but 1 item");
    }
}
