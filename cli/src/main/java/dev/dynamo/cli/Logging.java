package dev.dynamo.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sets log levels from the verbosity options. Logs go to stderr (see logback.xml): WARN by
 * default, {@code -v} INFO, {@code -vv} and {@code --debug} DEBUG for dynamo and INFO for the SDK.
 * The HTTP client's header and wire loggers stay off at every level, so an Authorization header
 * or a session token can never be logged.
 */
final class Logging {
    /** Loggers that can print request headers (Authorization, X-Amz-Security-Token) or credentials: off at every level. */
    static final List<String> SECRET_BEARING_LOGGERS = List.of("org.apache.http.wire", "org.apache.http.headers",
            "software.amazon.awssdk.request", "software.amazon.awssdk.auth", "software.amazon.awssdk.http");

    private Logging() {
    }

    static void configure(int verbosity, boolean debug, boolean quiet) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Level dynamo;
        Level others;
        if (quiet) {
            dynamo = Level.ERROR;
            others = Level.ERROR;
        } else if (debug || verbosity >= 2) {
            dynamo = Level.DEBUG;
            others = Level.INFO;
        } else if (verbosity == 1) {
            dynamo = Level.INFO;
            others = Level.WARN;
        } else {
            dynamo = Level.WARN;
            others = Level.WARN;
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(others);
        context.getLogger("dev.dynamo").setLevel(dynamo);
        for (String secretBearing : SECRET_BEARING_LOGGERS) {
            context.getLogger(secretBearing).setLevel(Level.OFF);
        }
    }
}
