package dev.dynamo.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real DynamoDB engine (dynalite, or the endpoint {@code DYNAMO_TEST_ENDPOINT} names): a
 * parameter of type {@link LocalDynamoDb} gets the primary engine, one annotated {@link Second} gets a
 * second one (a second "AWS account"). Each starts once per test JVM, on first use, and stops when the
 * JVM ends.
 *
 * <p>Once per JVM, not once per JUnit run: with more than one surefire fork, each fork runs every test
 * class it is handed as a JUnit run of its own, and a per-run engine would be started again for each
 * class. Thread-safe: classes that run concurrently share the engines (every test makes its own tables).
 */
public final class LocalEngineExtension implements ParameterResolver {
    private static final Map<String, LocalDynamoDb> ENGINES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ENGINES.values().forEach(LocalDynamoDb::close), "dynalite-stop"));
    }

    /** Marks a parameter that wants the second server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface Second {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalDynamoDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String name = parameter.isAnnotated(Second.class) ? "second" : "primary";
        return server(name);
    }

    static LocalDynamoDb server(String name) {
        // dynalite also exits when this JVM does (it ends on its stdin's EOF), even if the hook never runs (kill -9).
        return ENGINES.computeIfAbsent(name, LocalDynamoDb::start);
    }
}
