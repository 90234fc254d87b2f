package dev.dynamo.spark;

import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import java.io.Serializable;

/**
 * An environment as the driver resolved it, without its credentials: what an executor needs to build its own client.
 * The executor resolves it again ({@link #resolve}): with the profile named (its credentials from the executor's
 * ~/.aws files), the fixed local keys for an endpoint on the loopback, or the default chain otherwise (on EMR and
 * Glue: the instance or job role). Named environments of ~/.dynamo/config.toml are resolved on the driver only; the
 * executors receive what they named.
 *
 * @param name     how the user named it, for messages
 * @param profile  the AWS profile, or null
 * @param region   the region id
 * @param endpoint the endpoint override, or null for the region's AWS endpoint
 */
record EnvironmentDescription(String name, String profile, String region, String endpoint) implements Serializable {

    static EnvironmentDescription of(Environment environment) {
        return new EnvironmentDescription(environment.name(), environment.profile(), environment.region().id(),
                environment.endpoint() == null ? null : environment.endpoint().toString());
    }

    /** The environment with credentials of this process. */
    Environment resolve() {
        Environment resolved = EnvironmentResolver.create().resolve(new EnvironmentSpec(endpoint, profile, region, endpoint));
        return new Environment(name, resolved.profile(), resolved.region(), resolved.endpoint(), resolved.credentials());
    }

    /** Where the data lives, as {@link Environment#location()}: two descriptions with one location reach the same tables. */
    String location() {
        return (endpoint != null ? endpoint : "aws:" + (profile == null ? "" : profile)) + "|" + region;
    }
}
