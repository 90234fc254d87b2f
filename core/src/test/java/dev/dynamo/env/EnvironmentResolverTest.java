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
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * Resolves environments from config files and variables written by each test. Nothing here calls
 * AWS or resolves credentials over the network: only static keys and a local credential_process.
 */
class EnvironmentResolverTest {
    @TempDir
    Path home;

    private final Map<String, String> variables = new HashMap<>();

    private void config(String text) throws IOException {
        write(home.resolve(".aws/config"), text);
    }

    private void credentials(String text) throws IOException {
        write(home.resolve(".aws/credentials"), text);
    }

    private static void write(Path path, String text) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private Environment resolve(String env) {
        return resolve(EnvironmentSpec.of(env));
    }

    private Environment resolve(EnvironmentSpec spec) {
        return new EnvironmentResolver(variables, home).resolve(spec);
    }

    @Test
    void takesTheRegion_fromTheProfile() throws IOException {
        config("[profile dev]\nregion = eu-west-2\n");
        Environment dev = resolve("dev");
        assertThat(dev.name()).isEqualTo("dev");
        assertThat(dev.profile()).isEqualTo("dev");
        assertThat(dev.region()).isEqualTo(Region.EU_WEST_2);
        assertThat(dev.endpoint()).isNull();
        assertThat(dev.describe()).isEqualTo("'dev' (eu-west-2)");
    }

    @Test
    void takesTheEndpoint_fromTheProfilesEndpointUrl() throws IOException {
        config("[profile local]\nendpoint_url = http://localhost:8000\n");
        Environment local = resolve("local");
        assertThat(local.endpoint()).isEqualTo(URI.create("http://localhost:8000"));
        assertThat(local.isLoopback()).isTrue();
        assertThat(local.describe()).isEqualTo("'local' (http://localhost:8000, us-east-1)");
    }

    @Test
    void takesTheEndpoint_fromTheServicesSection_beforeTheProfilesEndpointUrl() throws IOException {
        config("""
                [profile local]
                services = local-services
                endpoint_url = http://localhost:1111
                [services local-services]
                s3 =
                  endpoint_url = http://localhost:2222
                dynamodb =
                  endpoint_url = http://localhost:8000
                """);
        assertThat(resolve("local").endpoint()).isEqualTo(URI.create("http://localhost:8000"));
    }

    @Test
    void fallsBackToTheProfilesEndpointUrl_whenTheServicesSectionHasNoDynamoDb() throws IOException {
        config("""
                [profile local]
                services = only-s3
                endpoint_url = http://localhost:1111
                [services only-s3]
                s3 =
                  endpoint_url = http://localhost:2222
                """);
        assertThat(resolve("local").endpoint()).isEqualTo(URI.create("http://localhost:1111"));
    }

    @Test
    void usesAwsProfile_whenNoEnvironmentIsNamed() throws IOException {
        config("[default]\nregion = us-west-1\n[profile dev]\nregion = eu-west-1\n");
        variables.put("AWS_PROFILE", "dev");
        Environment environment = resolve(EnvironmentSpec.of(null));
        assertThat(environment.profile()).isEqualTo("dev");
        assertThat(environment.name()).isEqualTo("dev");
        assertThat(environment.region()).isEqualTo(Region.EU_WEST_1);
    }

    @Test
    void ignoresAwsProfile_whenAnEnvironmentIsNamed() throws IOException {
        config("[profile dev]\nregion = eu-west-1\n[profile prod]\nregion = ap-south-1\n");
        variables.put("AWS_PROFILE", "dev");
        assertThat(resolve("prod").region()).isEqualTo(Region.AP_SOUTH_1);
    }

    @Test
    void usesTheDefaultProfile_whenNothingIsNamed() throws IOException {
        config("[default]\nregion = sa-east-1\n");
        Environment environment = resolve(EnvironmentSpec.of(null));
        assertThat(environment.profile()).isEqualTo("default");
        assertThat(environment.region()).isEqualTo(Region.SA_EAST_1);
    }

    @Test
    void prefersTheProfilesRegion_overAwsRegion_asDocumented() throws IOException {
        config("[profile dev]\nregion = eu-west-1\n[profile bare]\noutput = json\n");
        variables.put("AWS_REGION", "ap-northeast-1");
        variables.put("AWS_DEFAULT_REGION", "ca-central-1");
        assertThat(resolve("dev").region()).isEqualTo(Region.EU_WEST_1);
        assertThat(resolve("bare").region()).isEqualTo(Region.AP_NORTHEAST_1);
        variables.remove("AWS_REGION");
        assertThat(resolve("bare").region()).isEqualTo(Region.CA_CENTRAL_1);
        variables.remove("AWS_DEFAULT_REGION");
        assertThat(resolve("bare").region()).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void prefersRegionOption_overProfileAndVariables() throws IOException {
        config("[profile dev]\nregion = eu-west-1\n");
        variables.put("AWS_REGION", "ap-northeast-1");
        assertThat(resolve(new EnvironmentSpec("dev", null, "us-west-2", null)).region()).isEqualTo(Region.US_WEST_2);
        assertThat(resolve(new EnvironmentSpec("http://localhost:8000", null, "us-west-2", null)).region()).isEqualTo(Region.US_WEST_2);
    }

    @Test
    void takesTheRegionOfAUrl_fromAwsRegion_elseUsEast1() {
        assertThat(resolve("http://localhost:8000").region()).isEqualTo(Region.US_EAST_1);
        variables.put("AWS_REGION", "eu-central-1");
        Environment local = resolve("http://localhost:8000");
        assertThat(local.region()).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(local.profile()).isNull();
        assertThat(local.describe()).isEqualTo("'http://localhost:8000' (eu-central-1)");
    }

    @Test
    void takesTheEndpoint_fromVariables_dynamoDbSpecificFirst() {
        variables.put("AWS_ENDPOINT_URL", "http://localhost:1111");
        assertThat(resolve(EnvironmentSpec.of(null)).endpoint()).isEqualTo(URI.create("http://localhost:1111"));
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222");
        assertThat(resolve(EnvironmentSpec.of(null)).endpoint()).isEqualTo(URI.create("http://localhost:2222"));
    }

    @Test
    void prefersTheProfilesEndpoint_overEndpointVariables_asDocumented() throws IOException {
        config("[profile local]\nendpoint_url = http://localhost:3333\n[profile aws]\nregion = eu-west-1\n");
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222");
        assertThat(resolve("local").endpoint()).isEqualTo(URI.create("http://localhost:3333"));
        assertThat(resolve("aws").endpoint()).isEqualTo(URI.create("http://localhost:2222"));
    }

    @Test
    void prefersEndpointUrlOption_overEverything() throws IOException {
        config("[profile local]\nendpoint_url = http://localhost:3333\nregion = eu-west-1\n");
        variables.put("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222");
        Environment local = resolve(new EnvironmentSpec("local", null, null, "http://127.0.0.1:4444"));
        assertThat(local.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4444"));
        assertThat(local.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(resolve(new EnvironmentSpec("http://localhost:5555", null, null, "http://127.0.0.1:4444")).endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:4444"));
    }

    @Test
    void prefersProfileOption_overTheProfileTheEnvironmentNames() throws IOException {
        config("[profile dev]\nregion = eu-west-1\n[profile other]\nregion = eu-north-1\n");
        Environment environment = resolve(new EnvironmentSpec("dev", "other", null, null));
        assertThat(environment.profile()).isEqualTo("other");
        assertThat(environment.region()).isEqualTo(Region.EU_NORTH_1);
        assertThat(environment.describe()).isEqualTo("'dev' (profile other, eu-north-1)");
    }

    @Test
    void readsTheFilesNamedByAwsConfigFileAndAwsSharedCredentialsFile() throws IOException {
        config("[profile dev]\nregion = eu-west-1\n");
        write(home.resolve("elsewhere/config"), "[profile dev]\nregion = us-west-2\n");
        write(home.resolve("elsewhere/credentials"), "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = secretfile\n");
        variables.put("AWS_CONFIG_FILE", home.resolve("elsewhere/config").toString());
        variables.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("elsewhere/credentials").toString());
        Environment dev = resolve("dev");
        assertThat(dev.region()).isEqualTo(Region.US_WEST_2);
        assertThat(dev.credentials().resolveCredentials().accessKeyId()).isEqualTo("AKIDFILE");
    }

    @Test
    void expandsTilde_inFileVariables() throws IOException {
        write(home.resolve("custom/config"), "[profile dev]\nregion = eu-south-1\n");
        variables.put("AWS_CONFIG_FILE", "~/custom/config");
        assertThat(resolve("dev").region()).isEqualTo(Region.EU_SOUTH_1);
    }

    @Test
    void findsAProfileOnlyInTheCredentialsFile() throws IOException {
        credentials("[keysonly]\naws_access_key_id = AKIDKEYS\naws_secret_access_key = secretkeys\n");
        Environment environment = resolve("keysonly");
        AwsCredentials keys = environment.credentials().resolveCredentials();
        assertThat(keys.accessKeyId()).isEqualTo("AKIDKEYS");
        assertThat(keys.secretAccessKey()).isEqualTo("secretkeys");
        assertThat(checked(environment).source()).isEqualTo("profile 'keysonly' (access keys)");
    }

    @Test
    void usesTheProfilesKeys_evenForALoopbackEndpoint() throws IOException {
        config("[profile local]\nendpoint_url = http://localhost:8000\naws_access_key_id = AKIDPROFILE\n"
                + "aws_secret_access_key = secretprofile\n");
        assertThat(resolve("local").credentials().resolveCredentials().accessKeyId()).isEqualTo("AKIDPROFILE");
    }

    @Test
    void usesFixedLocalKeys_forALoopbackUrl() {
        Environment local = resolve("http://127.0.0.1:8000");
        assertThat(checked(local).delegate()).isInstanceOf(StaticCredentialsProvider.class);
        assertThat(local.credentials().resolveCredentials().accessKeyId()).isEqualTo("dynamolocal");
        assertThat(resolve("http://localhost:8000").credentials().resolveCredentials().secretAccessKey()).isEqualTo("dynamolocal");
    }

    @Test
    void usesTheDefaultChain_forARemoteUrl_withoutCallingIt() {
        Environment remote = resolve("https://dynamodb.eu-west-1.amazonaws.com");
        assertThat(remote.isLoopback()).isFalse();
        assertThat(checked(remote).delegate()).isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void resolvesARoleProfile_toAProfileProvider_withoutCallingSts() throws IOException {
        config("""
                [profile base]
                aws_access_key_id = AKIDBASE
                aws_secret_access_key = secretbase
                [profile admin]
                role_arn = arn:aws:iam::123456789012:role/admin
                source_profile = base
                region = eu-west-1
                """);
        Environment admin = resolve("admin");
        assertThat(checked(admin).delegate()).isInstanceOf(ProfileCredentialsProvider.class);
        assertThat(checked(admin).source()).isEqualTo("profile 'admin' (role_arn)");
        assertThat(admin.region()).isEqualTo(Region.EU_WEST_1);
    }

    @Test
    void resolvesAnSsoProfile_toAProfileProvider() throws IOException {
        config("""
                [profile sso]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = ReadOnly
                region = eu-west-1
                [sso-session corp]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = eu-west-1
                """);
        Environment sso = resolve("sso");
        assertThat(checked(sso).delegate()).isInstanceOf(ProfileCredentialsProvider.class);
        assertThat(checked(sso).source()).isEqualTo("profile 'sso' (SSO)");
    }

    @Test
    void getsCredentials_fromACredentialProcess() throws IOException {
        Path script = script("process-ok.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
                + "\"SecretAccessKey\": \"secretproc\"}'\n");
        config("[profile proc]\ncredential_process = " + script + "\n");
        Environment proc = resolve("proc");
        assertThat(checked(proc).source()).isEqualTo("profile 'proc' (credential_process)");
        assertThat(proc.credentials().resolveCredentials().accessKeyId()).isEqualTo("AKIDPROC");
    }

    @Test
    void explainsAFailingCredentialProcess_inOneSdkClientException() throws IOException {
        Path script = script("process-fails.sh", "#!/bin/sh\necho 'token expired' >&2\nexit 3\n");
        config("[profile proc]\ncredential_process = " + script + "\n");
        Environment proc = resolve("proc");
        assertThatThrownBy(() -> proc.credentials().resolveCredentials())
                .isInstanceOf(SdkClientException.class)
                .hasMessageStartingWith("Unable to load credentials from profile 'proc' (credential_process): ")
                .hasMessageContaining("(3)")
                .hasMessageContaining("token expired");
    }

    @Test
    void refusesAnUnknownProfile_namingTheFilesAndKnownProfiles() throws IOException {
        config("[profile dev]\n[profile prod]\n");
        assertThatThrownBy(() -> resolve("staging"))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("unknown AWS profile 'staging' (not in " + home.resolve(".aws/config") + " or "
                        + home.resolve(".aws/credentials") + "; known profiles: dev, prod); for a local endpoint pass a URL "
                        + "such as http://localhost:8000");
        variables.put("AWS_PROFILE", "typo");
        assertThatThrownBy(() -> resolve(EnvironmentSpec.of(null)))
                .hasMessage("unknown AWS profile 'typo' (not in " + home.resolve(".aws/config") + " or "
                        + home.resolve(".aws/credentials") + "; known profiles: dev, prod)");
    }

    @Test
    void saysNoProfilesAreConfigured_whenThereAreNoFiles() {
        assertThatThrownBy(() -> resolve("dev")).hasMessageContaining("; no profiles are configured)");
    }

    @Test
    void refusesMalformedUrls_namingWhereTheyCameFrom() throws IOException {
        assertMalformed(EnvironmentSpec.of("http:/localhost:8000"), "malformed endpoint URL 'http:/localhost:8000' from the environment");
        assertMalformed(EnvironmentSpec.of("ftp://localhost"), "malformed endpoint URL 'ftp://localhost' from the environment");
        assertMalformed(new EnvironmentSpec(null, null, null, "localhost:8000"), "malformed endpoint URL 'localhost:8000' from --endpoint-url");
        config("[profile bad]\nendpoint_url = localhost:8000\n");
        assertMalformed(EnvironmentSpec.of("bad"), "malformed endpoint URL 'localhost:8000' from endpoint_url of profile bad");
        variables.put("AWS_ENDPOINT_URL", "http://");
        assertMalformed(EnvironmentSpec.of(null), "malformed endpoint URL 'http://' from AWS_ENDPOINT_URL");
    }

    private void assertMalformed(EnvironmentSpec spec, String messageStart) {
        assertThatThrownBy(() -> resolve(spec))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(messageStart + ": expected http://host:port or https://host");
    }

    @Test
    void tellsLoopbackHosts_withoutLookingUpNames() {
        assertThat(EnvironmentResolver.isLoopbackHost("localhost")).isTrue();
        assertThat(EnvironmentResolver.isLoopbackHost("LOCALHOST")).isTrue();
        assertThat(EnvironmentResolver.isLoopbackHost("ddb.localhost")).isTrue();
        assertThat(EnvironmentResolver.isLoopbackHost("127.0.0.1")).isTrue();
        assertThat(EnvironmentResolver.isLoopbackHost("127.1.2.3")).isTrue();
        assertThat(EnvironmentResolver.isLoopbackHost("[::1]")).isTrue();
        assertThat(EnvironmentResolver.isLoopbackHost("10.0.0.1")).isFalse();
        assertThat(EnvironmentResolver.isLoopbackHost("localhost.example.com")).isFalse();
        assertThat(EnvironmentResolver.isLoopbackHost(null)).isFalse();
    }

    private Path script(String name, String text) throws IOException {
        Path script = home.resolve(name);
        Files.writeString(script, text);
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    private static CheckedCredentialsProvider checked(Environment environment) {
        assertThat(environment.credentials()).isInstanceOf(CheckedCredentialsProvider.class);
        return (CheckedCredentialsProvider) environment.credentials();
    }
}
