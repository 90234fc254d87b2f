package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.DynamoException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * Turns what the user said about an environment into an {@link Environment}, the way the AWS CLI
 * reads its shared config and credentials files.
 *
 * <p>A name given as {@code --env} is first looked up in the environments file ({@link EnvironmentsFile},
 * {@code ~/.dynamo/config.toml} or the file {@code DYNAMO_CONFIG} names): an {@code [env.NAME]} there wins over an
 * AWS profile of the same name (logged at INFO, {@code -v}), and its settings come right after the options'.
 *
 * <p>Precedence, highest first:
 * <ul>
 *   <li>profile: {@code --profile}, the environment's {@code profile}, the profile named by {@code --env},
 *       {@code AWS_PROFILE}, {@code default};</li>
 *   <li>region: {@code --region}, the environment's {@code region}, the profile's {@code region}, {@code AWS_REGION},
 *       {@code AWS_DEFAULT_REGION}, {@code us-east-1};</li>
 *   <li>endpoint: {@code --endpoint-url}, the environment's {@code endpoint}, the URL given as {@code --env}, the
 *       profile's {@code services}
 *       section ({@code dynamodb = endpoint_url = ...}), the profile's {@code endpoint_url},
 *       {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL}, none (AWS);</li>
 *   <li>credentials: the profile's (keys, {@code role_arn}, SSO, {@code credential_process}); for an
 *       endpoint on this machine without a profile, fixed dummy keys (local engines accept any);
 *       otherwise the SDK's default chain (environment variables, web identity, container, instance).</li>
 * </ul>
 * A setting of the named profile beats the ambient environment variables on purpose: one command
 * may name two environments (a copy from {@code prod} to {@code dev}), and a variable exported for
 * one of them must not silently redirect the other.
 *
 * <p>The process environment is passed in, so tests can resolve with any variables they like.
 */
@API(status = STABLE, since = "0.1")
public final class EnvironmentResolver {
    static final String DEFAULT_REGION = "us-east-1";
    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentResolver.class);
    // Local engines accept any keys; DynamoDB Local only keys made of letters and digits.
    private static final AwsBasicCredentials LOCAL_CREDENTIALS = AwsBasicCredentials.create("dynamolocal", "dynamolocal");

    private final Map<String, String> variables;
    private final Path home;
    private ProfileFile profileFile;
    private EnvironmentsFile environmentsFile;

    public EnvironmentResolver(Map<String, String> variables, Path home) {
        this.variables = Map.copyOf(variables);
        this.home = home;
    }

    /** A resolver over this process's environment variables and home directory. */
    public static EnvironmentResolver create() {
        // HOME first, as the AWS CLI and the SDK do: user.home comes from the password database and ignores HOME.
        String home = System.getenv("HOME");
        return new EnvironmentResolver(System.getenv(),
                Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")));
    }

    /** The home directory: where {@code ~/.aws} is read and {@code ~/.dynamo} (backups, checkpoints) is written. */
    public Path home() {
        return home;
    }

    /** The environments file: {@code DYNAMO_CONFIG}, else {@code ~/.dynamo/config.toml}; read once, on first use. */
    public EnvironmentsFile environmentsFile() {
        if (environmentsFile == null) {
            String path = variable("DYNAMO_CONFIG");
            environmentsFile = EnvironmentsFile.load(path != null ? expandHome(path) : home.resolve(".dynamo").resolve("config.toml"));
        }
        return environmentsFile;
    }

    /** The environments file's {@code [env.NAME]} for the name the spec gives, if any. */
    public Optional<NamedEnvironment> named(EnvironmentSpec spec) {
        return spec.env() == null || spec.envIsUrl() ? Optional.empty() : environmentsFile().find(spec.env());
    }

    public Environment resolve(EnvironmentSpec spec) {
        NamedEnvironment named = named(spec).orElse(null);
        if (named != null && profiles().profile(named.name()).isPresent()) {
            LOG.info("environment '{}' is [env.{}] of {}, not the AWS profile of the same name", named.name(), named.name(),
                    environmentsFile().path());
        }
        String profileName = spec.profile();
        if (profileName == null && named != null) {
            profileName = named.profile();
        }
        if (profileName == null && spec.env() != null && !spec.envIsUrl() && named == null) {
            profileName = spec.env();
        }
        if (profileName == null && spec.env() == null) {
            profileName = variable("AWS_PROFILE");
        }
        Profile profile = null;
        if (profileName != null) {
            String wanted = profileName;
            profile = profiles().profile(wanted).orElseThrow(() -> unknownProfile(spec, wanted));
        } else if (spec.env() == null) {
            // Like the AWS CLI: no profile named, but a [default] profile exists.
            profile = profiles().profile("default").orElse(null);
            profileName = profile == null ? null : "default";
        }

        URI endpoint = endpoint(spec, named, profile);
        Region region = Region.of(firstNonBlank(
                spec.region(),
                named == null ? null : named.region(),
                profile == null ? null : profile.property("region").orElse(null),
                variable("AWS_REGION"),
                variable("AWS_DEFAULT_REGION"),
                DEFAULT_REGION));
        AwsCredentialsProvider credentials;
        String credentialSettings = profile == null ? null : credentialSettings(profile);
        if (credentialSettings != null) {
            credentials = new CheckedCredentialsProvider(
                    ProfileCredentialsProvider.builder().profileFile(profiles()).profileName(profileName).build(),
                    "profile '" + profileName + "' (" + credentialSettings + ")");
        } else if (endpoint != null && isLoopbackHost(endpoint.getHost())) {
            credentials = new CheckedCredentialsProvider(StaticCredentialsProvider.create(LOCAL_CREDENTIALS),
                    "fixed local keys for " + endpoint);
        } else {
            // The chain reads the same files as this resolver, and the profile named here (not AWS_PROFILE).
            credentials = new CheckedCredentialsProvider(DefaultCredentialsProvider.builder()
                    .profileFile(profiles())
                    .profileName(profileName != null ? profileName : "default")
                    .build(),
                    "the default chain (AWS_ACCESS_KEY_ID, web identity, "
                            + (profileName != null ? "profile '" + profileName + "'" : "the default profile")
                            + ", container, instance profile)");
        }
        String name = spec.env() != null ? spec.env() : profileName != null ? profileName : "default";
        return new Environment(name, profileName, region, endpoint, credentials,
                named != null && named.isProtected() ? environmentsFile().path() : null);
    }

    private URI endpoint(EnvironmentSpec spec, NamedEnvironment named, Profile profile) {
        if (spec.endpointUrl() != null) {
            return parseEndpoint(spec.endpointUrl(), "--endpoint-url");
        }
        if (named != null && named.endpoint() != null) {
            return parseEndpoint(named.endpoint(), "[env." + named.name() + "] of " + environmentsFile().path());
        }
        if (spec.envIsUrl()) {
            return parseEndpoint(spec.env(), "the environment");
        }
        if (profile != null) {
            Optional<String> services = profile.property("services");
            if (services.isPresent()) {
                Optional<String> url = profiles().getSection("services", services.get())
                        .flatMap(section -> section.property("dynamodb.endpoint_url"));
                if (url.isPresent()) {
                    return parseEndpoint(url.get(), "the services section '" + services.get() + "' of profile " + profile.name());
                }
            }
            Optional<String> url = profile.property("endpoint_url");
            if (url.isPresent()) {
                return parseEndpoint(url.get(), "endpoint_url of profile " + profile.name());
            }
        }
        for (String name : new String[] {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"}) {
            String url = variable(name);
            if (url != null) {
                return parseEndpoint(url, name);
            }
        }
        return null;
    }

    /** How the profile gets credentials, for messages ({@code role_arn}, {@code credential_process}, ...), or null. */
    private static String credentialSettings(Profile profile) {
        for (String key : new String[] {"role_arn", "web_identity_token_file", "sso_session", "sso_start_url",
                "credential_process", "aws_access_key_id"}) {
            if (profile.property(key).isPresent()) {
                return key.startsWith("sso_") ? "SSO" : key.equals("aws_access_key_id") ? "access keys" : key;
            }
        }
        return null;
    }

    static URI parseEndpoint(String value, String source) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new URISyntaxException(value, "expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw DynamoException.usage("malformed endpoint URL '" + value + "' from " + source
                    + ": expected http://host:port or https://host, for example http://localhost:8000");
        }
    }

    /** True for localhost and loopback addresses, without a DNS lookup for other names. */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return true;
        }
        if (lower.matches("[0-9.]+") || lower.startsWith("[")) {
            try {
                return InetAddress.getByName(lower).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private DynamoException unknownProfile(EnvironmentSpec spec, String profileName) {
        TreeSet<String> known = new TreeSet<>(profiles().profiles().keySet());
        String knownText = known.isEmpty() ? "no profiles are configured" : "known profiles: " + String.join(", ", known);
        String hint = spec.env() != null && spec.env().equals(profileName)
                ? "; for a local endpoint pass a URL such as http://localhost:8000"
                : named(spec).filter(env -> profileName.equals(env.profile()))
                        .map(env -> "; named by [env." + env.name() + "] of " + environmentsFile().path())
                        .orElse("");
        return DynamoException.usage("unknown AWS profile '" + profileName + "' (not in " + configPath() + " or "
                + credentialsPath() + "; " + knownText + ")" + hint);
    }

    /**
     * The names of the AWS profiles of the config and credentials files ({@code AWS_CONFIG_FILE},
     * {@code AWS_SHARED_CREDENTIALS_FILE}), sorted (for shell completion).
     *
     * @throws DynamoException (usage) when a file cannot be read
     */
    public SortedSet<String> profileNames() {
        return new TreeSet<>(profiles().profiles().keySet());
    }

    private ProfileFile profiles() {
        if (profileFile == null) {
            ProfileFile.Aggregator aggregator = ProfileFile.aggregator();
            addIfReadable(aggregator, configPath(), ProfileFile.Type.CONFIGURATION);
            addIfReadable(aggregator, credentialsPath(), ProfileFile.Type.CREDENTIALS);
            profileFile = aggregator.build();
        }
        return profileFile;
    }

    private static void addIfReadable(ProfileFile.Aggregator aggregator, Path path, ProfileFile.Type type) {
        if (!Files.isRegularFile(path)) {
            return;
        }
        try {
            aggregator.addFile(ProfileFile.builder().content(path).type(type).build());
        } catch (RuntimeException e) {
            throw DynamoException.usage("cannot read AWS " + (type == ProfileFile.Type.CONFIGURATION ? "config" : "credentials")
                    + " file " + path + ": " + e.getMessage());
        }
    }

    private Path configPath() {
        String path = variable("AWS_CONFIG_FILE");
        return path != null ? expandHome(path) : home.resolve(".aws").resolve("config");
    }

    private Path credentialsPath() {
        String path = variable("AWS_SHARED_CREDENTIALS_FILE");
        return path != null ? expandHome(path) : home.resolve(".aws").resolve("credentials");
    }

    private Path expandHome(String path) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        throw new IllegalStateException("the last value is a constant");
    }
}
