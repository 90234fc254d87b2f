package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import java.net.URI;
import java.nio.file.Path;
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
 * @param protectedBy the environments file that marks it {@code protected = true}, or null: such an environment is
 *                    read, never written (see {@link #checkWritable})
 */
@API(status = STABLE, since = "0.1")
public record Environment(String name, String profile, Region region, URI endpoint, AwsCredentialsProvider credentials,
        Path protectedBy) {

    /** An environment no file protects. */
    public Environment(String name, String profile, Region region, URI endpoint, AwsCredentialsProvider credentials) {
        this(name, profile, region, endpoint, credentials, null);
    }

    /**
     * Refuses to write to a protected environment unless {@code allowed} repeats its name; refuses an
     * {@code allowed} that is not this environment's name, protected or not.
     *
     * @param allowed the value of {@code --allow-protected-target}, or null
     * @throws DynamoException (usage) before anything is read
     */
    public void checkWritable(String allowed) {
        if (allowed != null && !allowed.equals(name)) {
            throw DynamoException.usage("--allow-protected-target '" + allowed + "' must repeat the name of the target, '"
                    + name + "'");
        }
        if (protectedBy != null && allowed == null) {
            throw DynamoException.usage("environment '" + name + "' is protected (protected = true in " + protectedBy
                    + "): it is read, never written; to write to it all the same, add --allow-protected-target " + name);
        }
    }

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
