package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Environments named by AWS profiles and variables, used for real against the local engine. Every
 * endpoint here is on 127.0.0.1; a profile that is not meant to be reached points at a closed port.
 */
@EngineTest
class EnvironmentEndToEndTest {
    private static String env;
    private static String table;

    @TempDir
    Path home;

    private String closed;

    @BeforeAll
    static void createTable(LocalDynamoDb db) {
        env = db.env();
        table = TestTables.table("profiles").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), table, List.of(Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1"))));
    }

    @BeforeEach
    void closedPort() throws IOException {
        closed = "http://127.0.0.1:" + QueryErrorsTest.closedPort();
    }

    private void config(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void listsTables_withAProfilesCredentialProcessAndEndpointUrl() throws IOException {
        Path marker = home.resolve("credential-process-ran");
        Path script = home.resolve("credentials.sh");
        Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\n"
                + "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"secret123\"}'\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        config(home.resolve(".aws/config"), "[profile local]\nregion = eu-west-1\nendpoint_url = " + env
                + "\ncredential_process = " + script + "\n");

        assertThat(Cli.isolated(home).succeed("tables", "-e", "local").lines()).contains(table);
        assertThat(marker).exists();
        assertThat(Cli.isolated(home).succeed("query", "-t", table, "a", "-e", "local", "-o", "jsonl").stdout())
                .isEqualTo("{\"pk\":\"a\",\"n\":1}\n");
        assertThat(Cli.isolated(home).succeed("describe", "-t", table, "-e", "local").lines())
                .contains("Environment:    'local' (" + env + ", eu-west-1)");
    }

    @Test
    void queries_throughAProfilesServicesSection() throws IOException {
        config(home.resolve(".aws/config"), "[profile svc]\nservices = local\nendpoint_url = " + closed
                + "\n[services local]\ndynamodb =\n  endpoint_url = " + env + "\n");
        assertThat(Cli.isolated(home).succeed("query", "-t", table, "a", "-e", "svc", "-o", "summary").stdout())
                .isEqualTo("1 item queried.\n");
    }

    @Test
    void usesAwsProfile_andAwsConfigFile_whenNoEnvironmentIsNamed() throws IOException {
        Path custom = home.resolve("elsewhere/aws-config");
        config(custom, "[profile picked]\nendpoint_url = " + env + "\n");
        Cli cli = Cli.isolated(home).withVariables(Map.of("AWS_CONFIG_FILE", custom.toString(), "AWS_PROFILE", "picked"));
        assertThat(cli.succeed("tables").lines()).contains(table);
    }

    @Test
    void usesAwsEndpointUrlDynamoDb_whenNothingElseNamesAnEndpoint() {
        Cli cli = Cli.isolated(home).withVariables(Map.of("AWS_ENDPOINT_URL", closed, "AWS_ENDPOINT_URL_DYNAMODB", env));
        assertThat(cli.succeed("query", "-t", table, "a", "-o", "summary").stdout()).isEqualTo("1 item queried.\n");
    }

    @Test
    void overridesTheProfilesEndpoint_withEndpointUrl() throws IOException {
        config(home.resolve(".aws/config"), "[profile away]\nendpoint_url = " + closed + "\nregion = eu-west-1\n");
        Cli cli = Cli.isolated(home);
        assertThat(cli.fail(1, "tables", "-e", "away").stderr()).startsWith("dynamo: cannot reach 'away' (" + closed + ", eu-west-1) while listing tables");
        assertThat(cli.succeed("tables", "-e", "away", "--endpoint-url", env).lines()).contains(table);
    }

    @Test
    void overridesTheProfile_withProfileOption() throws IOException {
        config(home.resolve(".aws/config"), "[profile away]\nendpoint_url = " + closed + "\n[profile here]\nendpoint_url = " + env + "\n");
        assertThat(Cli.isolated(home).succeed("tables", "-e", "away", "--profile", "here").lines()).contains(table);
    }

    @Test
    void readsTheCredentialsFile_namedByAwsSharedCredentialsFile() throws IOException {
        // The credentials come from a process named only in that file: the marker proves the file was read.
        Path marker = home.resolve("from-credentials-file");
        Path script = home.resolve("keys.sh");
        Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\n"
                + "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDFILE\", \"SecretAccessKey\": \"secretfile\"}'\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        config(home.resolve("secrets/creds"), "[keyed]\ncredential_process = " + script + "\n");
        config(home.resolve(".aws/config"), "[profile keyed]\nendpoint_url = " + env + "\n");
        Cli cli = Cli.isolated(home).withVariables(Map.of("AWS_SHARED_CREDENTIALS_FILE", "~/secrets/creds"));
        assertThat(cli.succeed("tables", "-e", "keyed").lines()).contains(table);
        assertThat(marker).exists();
    }
}
