package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * One {@code [env.NAME]} table of the environments file: how to reach the environment, whether it is
 * protected from writes, and its defaults for options.
 *
 * @param name        the table's name, as {@code -e}, {@code --source} and {@code --target} name it
 * @param profile     the AWS profile, or null
 * @param endpoint    the endpoint URL, or null
 * @param region      the region, or null
 * @param isProtected true when copy and import must never write to it (without {@code --allow-protected-target})
 * @param defaults    its defaults for {@code output}, {@code threads}, {@code max-rcu}, {@code max-wcu}
 */
@API(status = STABLE, since = "0.2")
public record NamedEnvironment(String name, String profile, String endpoint, String region, boolean isProtected,
        OptionDefaults defaults) {

    /**
     * Defaults for options when a command names this environment and not the option; each is the option's own
     * text ({@code "500"}, {@code "jsonl"}) or null.
     */
    public record OptionDefaults(String output, String threads, String maxRcu, String maxWcu) {
        static final OptionDefaults NONE = new OptionDefaults(null, null, null, null);
    }
}
