package dev.dynamo;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The process exit codes of {@code dynamo}, documented in the README and in {@code --help}.
 */
@API(status = STABLE, since = "0.1")
public enum ExitCode {
    /** Everything asked for was done. */
    OK(0),
    /** A runtime failure: the service, the network, credentials, or items that could not be written. */
    FAILURE(1),
    /** A usage error: a bad flag or value, or a table, index or profile that does not exist. Nothing was written. */
    USAGE(2),
    /** Stopped by Ctrl-C (SIGINT), as shells report it. */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
