package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * What the user said about one environment, before anything is resolved.
 *
 * @param env         an AWS profile name or an endpoint URL ({@code http://localhost:8000}); null for the default
 * @param profile     {@code --profile}: the profile to use, overriding the one {@code env} names
 * @param region      {@code --region}: overrides the profile's region and the environment variables
 * @param endpointUrl {@code --endpoint-url}: overrides every other source of the endpoint
 */
@API(status = STABLE, since = "0.1")
public record EnvironmentSpec(String env, String profile, String region, String endpointUrl) {

    /** An environment named by a profile or URL alone. */
    public static EnvironmentSpec of(String env) {
        return new EnvironmentSpec(env, null, null, null);
    }

    /** True when {@code env} is an endpoint URL rather than a profile name. */
    boolean envIsUrl() {
        return env != null && isUrl(env);
    }

    /**
     * True for anything that looks meant as a URL ({@code http:...}, {@code https:...}, {@code x://...}),
     * so that a mistyped one ({@code http:/localhost:8000}) is reported as a malformed URL rather than
     * as an unknown profile.
     */
    static boolean isUrl(String value) {
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("http:") || lower.startsWith("https:") || lower.contains("://");
    }
}
