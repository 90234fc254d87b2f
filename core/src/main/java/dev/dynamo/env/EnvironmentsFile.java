package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.dynamo.DynamoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The environments file, {@code ~/.dynamo/config.toml} (or the file {@code DYNAMO_CONFIG} names): named
 * environments, each a TOML table under {@code env}:
 * <pre>
 * [env.staging]
 * profile = "co-staging"       # or endpoint = "http://127.0.0.1:8000"
 * region = "eu-west-1"
 * [env.prod]
 * profile = "co-prod"
 * protected = true
 * </pre>
 * A missing file is an empty one. Anything malformed (TOML syntax, an unknown key, a value of the wrong
 * type) is a usage error naming the file and, where it can be told, the line.
 */
@API(status = STABLE, since = "0.2")
public final class EnvironmentsFile {
    private static final Set<String> CONNECTION_KEYS = Set.of("profile", "endpoint", "region", "protected");
    private static final List<String> DEFAULT_KEYS = List.of("output", "threads", "max-rcu", "max-wcu");

    private final Path path;
    private final Map<String, NamedEnvironment> environments;
    private final List<String> names;

    private EnvironmentsFile(Path path, Map<String, NamedEnvironment> environments) {
        this.path = path;
        this.environments = Map.copyOf(environments);
        this.names = List.copyOf(environments.keySet());
    }

    /** The file's path, for messages (whether it exists or not). */
    public Path path() {
        return path;
    }

    /** The names of its environments, in the file's order (for shell completion). */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The environment the file names so, if it does. */
    public Optional<NamedEnvironment> find(String name) {
        return Optional.ofNullable(environments.get(name));
    }

    /**
     * Reads the file; a missing one has no environments.
     *
     * @throws DynamoException (usage) for a malformed file: {@code malformed environments file F, line N: ...}
     */
    public static EnvironmentsFile load(Path path) {
        if (!Files.exists(path)) {
            return new EnvironmentsFile(path, Map.of());
        }
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw DynamoException.usage("cannot read environments file " + path + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            String line = location != null && location.getLineNr() > 0 ? ", line " + location.getLineNr() : "";
            throw DynamoException.usage("malformed environments file " + path + line + ": " + e.getOriginalMessage());
        }
        return new EnvironmentsFile(path, environments(path, text, root));
    }

    private static Map<String, NamedEnvironment> environments(Path path, String text, JsonNode root) {
        Map<String, NamedEnvironment> environments = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> top = it.next();
            if (!top.getKey().equals("env") || !top.getValue().isObject()) {
                throw malformed(path, text, top.getKey(), null,
                        "unknown key '" + top.getKey() + "' (environments are tables [env.NAME])");
            }
            for (Iterator<Map.Entry<String, JsonNode>> envs = top.getValue().fields(); envs.hasNext(); ) {
                Map.Entry<String, JsonNode> env = envs.next();
                if (!env.getValue().isObject()) {
                    throw malformed(path, text, env.getKey(), null, "env." + env.getKey() + " is not a table [env." + env.getKey() + "]");
                }
                environments.put(env.getKey(), environment(path, text, env.getKey(), env.getValue()));
            }
        }
        return environments;
    }

    private static NamedEnvironment environment(Path path, String text, String name, JsonNode table) {
        for (Iterator<String> keys = table.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!CONNECTION_KEYS.contains(key) && !DEFAULT_KEYS.contains(key)) {
                throw malformed(path, text, key, name, "unknown key '" + key + "' in [env." + name
                        + "] (known: profile, endpoint, region, protected, " + String.join(", ", DEFAULT_KEYS) + ")");
            }
        }
        String profile = string(path, text, name, table, "profile");
        String endpoint = string(path, text, name, table, "endpoint");
        if (profile == null && endpoint == null) {
            throw malformed(path, text, null, name, "[env." + name + "] needs a profile or an endpoint");
        }
        if (endpoint != null) {
            try {
                EnvironmentResolver.parseEndpoint(endpoint, path.toString());
            } catch (DynamoException e) {
                throw malformed(path, text, "endpoint", name, "[env." + name + "] endpoint '" + endpoint
                        + "' is not a URL such as http://localhost:8000");
            }
        }
        JsonNode protect = table.get("protected");
        if (protect != null && !protect.isBoolean()) {
            throw malformed(path, text, "protected", name, "[env." + name + "] protected must be true or false");
        }
        return new NamedEnvironment(name, profile, endpoint, string(path, text, name, table, "region"),
                protect != null && protect.booleanValue(),
                new NamedEnvironment.OptionDefaults(scalar(path, text, name, table, "output"),
                        scalar(path, text, name, table, "threads"), scalar(path, text, name, table, "max-rcu"),
                        scalar(path, text, name, table, "max-wcu")));
    }

    private static String string(Path path, String text, String name, JsonNode table, String key) {
        JsonNode value = table.get(key);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw malformed(path, text, key, name, "[env." + name + "] " + key + " must be a non-empty string");
        }
        return value.textValue().trim();
    }

    /** A default's text: a string or a number, as the option would be typed. */
    private static String scalar(Path path, String text, String name, JsonNode table, String key) {
        JsonNode value = table.get(key);
        if (value == null) {
            return null;
        }
        if (!(value.isTextual() || value.isNumber()) || value.asText().isBlank()) {
            throw malformed(path, text, key, name, "[env." + name + "] " + key + " must be a string or a number");
        }
        return value.asText().trim();
    }

    private static DynamoException malformed(Path path, String text, String key, String env, String message) {
        int line = EnvironmentsFileLines.lineOf(text, env, key);
        return DynamoException.usage("malformed environments file " + path + (line > 0 ? ", line " + line : "") + ": " + message);
    }
}
