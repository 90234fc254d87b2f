package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import java.net.URI;
import org.apiguardian.api.API;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A resolved environment: where a table lives and how to sign requests to it.
 *
 * @param name        how the user named it ({@code dev}, {@code http://localhost:8000}, {@code default}); used in messages
 * @param profile     the AWS profile whose settings and credentials are used, or null
 * @param region      the region requests are signed for
 * @param endpoint    the endpoint override, or null for the region's AWS endpoint
 * @param credentials where credentials come from; never printed
 */
@API(status = STABLE, since = "0.1")
public record Environment(String name, String profile, Region region, URI endpoint, AwsCredentialsProvider credentials) {

    /**
     * A short description for messages, for example {@code 'dev' (profile dev, us-east-1)} or
     * {@code 'http://localhost:8000' (us-east-1)}.
     */
    public String describe() {
        StringBuilder text = new StringBuilder("'").append(name).append("' (");
        if (profile != null && !profile.equals(name)) {
            text.append("profile ").append(profile).append(", ");
        }
        if (endpoint != null && !endpoint.toString().equals(name)) {
            text.append(endpoint).append(", ");
        }
        return text.append(region.id()).append(')').toString();
    }

    /**
     * Where the data lives, as far as can be told without calling AWS: the endpoint and region, or
     * the profile and region for AWS itself. Two environments with the same location certainly reach
     * the same tables.
     */
    public String location() {
        String where = endpoint != null ? endpoint.toString() : "aws:" + (profile == null ? "" : profile);
        return where + "|" + region.id();
    }

    /** True when the endpoint is on this machine (localhost or a loopback address). */
    boolean isLoopback() {
        return endpoint != null && EnvironmentResolver.isLoopbackHost(endpoint.getHost());
    }
}
