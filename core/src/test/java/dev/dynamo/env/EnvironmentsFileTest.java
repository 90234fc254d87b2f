package dev.dynamo.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/** The environments file, ~/.dynamo/config.toml: reading it, its errors, and how its environments resolve. */
class EnvironmentsFileTest {
    private static final String EXAMPLE = """
            # the README's example
            [env.staging]
            profile = "co-staging"
            region = "eu-west-1"

            [env.local]
            endpoint = "http://127.0.0.1:8000"
            threads = 4
            output = "jsonl"

            [env.prod]
            profile = "co-prod"
            protected = true
            max-rcu = 500
            """;

    @TempDir
    Path home;

    private final Map<String, String> variables = new HashMap<>();

    private Path file(String text) throws IOException {
        Path path = home.resolve(".dynamo/config.toml");
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
        return path;
    }

    private void awsConfig(String text) throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), text);
    }

    private Environment resolve(EnvironmentSpec spec) {
        return new EnvironmentResolver(variables, home).resolve(spec);
    }

    @Test
    void readsEveryEnvironment_withItsSettingsAndDefaults() throws IOException {
        EnvironmentsFile file = EnvironmentsFile.load(file(EXAMPLE));
        assertThat(file.find("staging")).contains(new NamedEnvironment("staging", "co-staging", null, "eu-west-1", false,
                new NamedEnvironment.OptionDefaults(null, null, null, null)));
        assertThat(file.find("local")).contains(new NamedEnvironment("local", null, "http://127.0.0.1:8000", null, false,
                new NamedEnvironment.OptionDefaults("jsonl", "4", null, null)));
        assertThat(file.find("prod").orElseThrow().isProtected()).isTrue();
        assertThat(file.find("prod").orElseThrow().defaults().maxRcu()).isEqualTo("500");
        assertThat(file.find("dev")).isEmpty();
    }

    @Test
    void hasNoEnvironments_whenTheFileIsMissing() {
        EnvironmentsFile file = EnvironmentsFile.load(home.resolve("nothing.toml"));
        assertThat(file.find("prod")).isEmpty();
        assertThat(file.path()).isEqualTo(home.resolve("nothing.toml"));
    }

    @Test
    void namesTheFileAndLine_ofATomlSyntaxError() throws IOException {
        Path path = file("[env.staging]\nprofile = \"co-staging\"\nregion = eu-west-1\n");
        assertThatThrownBy(() -> EnvironmentsFile.load(path))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith("malformed environments file " + path + ", line 3: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void namesTheFileAndLine_ofAnUnknownKeyOrAWrongType() throws IOException {
        Path path = file("[env.staging]\nprofile = \"co-staging\"\n\n[env.prod]\nprofile = \"co-prod\"\nprotect = true\n");
        assertThatThrownBy(() -> EnvironmentsFile.load(path))
                .hasMessage("malformed environments file " + path + ", line 6: unknown key 'protect' in [env.prod] (known: "
                        + "profile, endpoint, region, protected, output, threads, max-rcu, max-wcu)");
        Path typed = file("[env.prod]\nprofile = \"co-prod\"\nprotected = \"yes\"\n");
        assertThatThrownBy(() -> EnvironmentsFile.load(typed))
                .hasMessage("malformed environments file " + typed + ", line 3: [env.prod] protected must be true or false");
        Path empty = file("[env.prod]\nregion = \"eu-west-1\"\n");
        assertThatThrownBy(() -> EnvironmentsFile.load(empty))
                .hasMessage("malformed environments file " + empty + ", line 1: [env.prod] needs a profile or an endpoint");
        Path url = file("[env.local]\nendpoint = \"localhost:8000\"\n");
        assertThatThrownBy(() -> EnvironmentsFile.load(url))
                .hasMessage("malformed environments file " + url + ", line 2: [env.local] endpoint 'localhost:8000' is not a "
                        + "URL such as http://localhost:8000");
    }

    @Test
    void resolvesANamedEnvironment_toItsEndpointAndRegion_withTheOptionsAbove() throws IOException {
        file(EXAMPLE);
        Environment local = resolve(EnvironmentSpec.of("local"));
        assertThat(local.name()).isEqualTo("local");
        assertThat(local.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
        assertThat(local.profile()).isNull();
        assertThat(local.protectedBy()).isNull();
        awsConfig("[profile co-staging]\nregion = us-west-2\n");
        Environment staging = resolve(EnvironmentSpec.of("staging"));
        assertThat(staging.profile()).isEqualTo("co-staging");
        assertThat(staging.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(resolve(new EnvironmentSpec("staging", null, "ap-south-1", null)).region()).isEqualTo(Region.AP_SOUTH_1);
        assertThat(resolve(new EnvironmentSpec("local", null, null, "http://localhost:9000")).endpoint())
                .isEqualTo(URI.create("http://localhost:9000"));
    }

    @Test
    void winsOverAnAwsProfileOfTheSameName() throws IOException {
        file(EXAMPLE);
        awsConfig("[profile local]\nendpoint_url = http://localhost:4566\nregion = sa-east-1\n");
        Environment local = resolve(EnvironmentSpec.of("local"));
        assertThat(local.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
        assertThat(local.profile()).isNull();
    }

    @Test
    void marksAProtectedEnvironment_withItsFile_andReadsDynamoConfig() throws IOException {
        Path other = home.resolve("team.toml");
        Files.writeString(other, "[env.prod]\nendpoint = \"http://localhost:8000\"\nprotected = true\n");
        variables.put("DYNAMO_CONFIG", other.toString());
        Environment prod = resolve(EnvironmentSpec.of("prod"));
        assertThat(prod.protectedBy()).isEqualTo(other);
        assertThatThrownBy(() -> prod.checkWritable(null))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("environment 'prod' is protected (protected = true in " + other + "): it is read, never written; "
                        + "to write to it all the same, add --allow-protected-target prod");
        assertThatThrownBy(() -> prod.checkWritable("Prod"))
                .hasMessage("--allow-protected-target 'Prod' must repeat the name of the target, 'prod'");
        prod.checkWritable("prod");
        assertThat(resolve(EnvironmentSpec.of("http://localhost:8000")).protectedBy()).isNull();
    }
}
