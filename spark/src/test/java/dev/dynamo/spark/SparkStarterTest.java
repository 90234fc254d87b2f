package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** What the driver sees when Spark does not start: one line, and exit 2 for a master Spark cannot parse. */
class SparkStarterTest {
    @Test
    void aMasterSparkCannotParse_isAUsageErrorInOneLine() {
        // What JavaSparkContext throws (undeclared, from Scala) for --master bogus.
        SparkStarter starter = SparkStarter.start(() -> sneakyThrow(new SparkException("Could not parse Master URL: 'bogus'")));

        DynamoException e = catchThrowableOfType(DynamoException.class, starter::await);

        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).isEqualTo("Spark did not start: Could not parse Master URL: 'bogus'");
        assertThat(starter.startedOrAbandon()).isNull();
    }

    @Test
    void anyOtherStartFailure_isARuntimeFailure_withItsFirstLine() {
        SparkStarter starter = SparkStarter.start(() -> {
            throw new IllegalStateException("cannot bind to 127.0.0.1:7077\nsecond line");
        });

        DynamoException e = catchThrowableOfType(DynamoException.class, starter::await);

        assertThat(e.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(e.getMessage()).isEqualTo("Spark did not start: cannot bind to 127.0.0.1:7077");
    }

    @SuppressWarnings("unchecked")
    private static <T, E extends Throwable> T sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }
}
