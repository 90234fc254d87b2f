package dev.dynamo;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The one exception type that carries a user-facing, one-line message and the exit code it ends with.
 *
 * <p>The message names what is wrong and how to fix it; it is printed as it is, without a stack
 * trace unless {@code --debug} is given. The engine throws it as well as the command line, which is
 * why it lives in the root package.
 */
@API(status = STABLE, since = "0.1")
public final class DynamoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    public DynamoException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public DynamoException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A mistake in what the user asked for: exit code 2. */
    public static DynamoException usage(String message) {
        return new DynamoException(ExitCode.USAGE, message);
    }

    /** Something failed while doing what was asked: exit code 1. */
    public static DynamoException failure(String message, Throwable cause) {
        return new DynamoException(ExitCode.FAILURE, message, cause);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
