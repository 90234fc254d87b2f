package dev.dynamo.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real DynamoDB engine (dynalite, or the endpoint {@code DYNAMO_TEST_ENDPOINT} names): a
 * parameter of type {@link LocalDynamoDb} gets the primary engine, one annotated {@link Second} gets a
 * second one (a second "AWS account"). Each starts once per test run, on first use, and stops when the
 * run ends.
 */
public final class LocalEngineExtension implements ParameterResolver {

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
        return server(context, name);
    }

    static LocalDynamoDb server(ExtensionContext context, String name) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(LocalEngineExtension.class));
        // AutoCloseable values are closed when the root context (the test run) closes.
        return store.getOrComputeIfAbsent(name, key -> LocalDynamoDb.start(name), LocalDynamoDb.class);
    }
}
