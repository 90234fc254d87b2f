package dev.dynamo.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that talks to a DynamoDB engine (dynalite, started by {@link LocalEngineExtension}, or the
 * endpoint in DYNAMO_TEST_ENDPOINT). Tagged {@code engine}, so the fast tests run alone with
 * {@code ./mvnw -B test -DexcludedGroups=engine}; {@code ./mvnw -B verify} runs everything.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(EngineTest.TAG)
@ExtendWith(LocalEngineExtension.class)
public @interface EngineTest {
    /** The tag of tests that need a server: a DynamoDB engine, or a JVM or process of their own. */
    String TAG = "engine";
}
