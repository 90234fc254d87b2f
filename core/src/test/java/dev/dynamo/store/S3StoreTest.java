package dev.dynamo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.testing.S3Server;
import dev.dynamo.env.EnvironmentResolver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** The {@link ExportStore} contract on an S3 prefix of S3Proxy, and what only S3 has: parts, pages, buckets. */
@Tag("s3")
class S3StoreTest extends ExportStoreContract {
    String bucket;

    @Override
    ExportStore newStore() {
        bucket = S3Server.createBucket("store");
        return ExportStore.open("s3://" + bucket + "/exports/orders", S3Server.environment(), S3Server.settings());
    }

    @Override
    void assertLargeObjectEtag(StoredObject committed, byte[] bytes) {
        assertThat(committed.etag()).as("three parts: 8 + 8 + 4 MiB").endsWith("-3");
        assertThat(store.stat(DATA + "large.json.gz")).get().extracting(StoredObject::etag).isEqualTo(committed.etag());
    }

    @Test
    void startsS3ProxyOncePerJvm() {
        System.out.println("S3Proxy start: " + S3Server.startMillis() + " ms, endpoint " + S3Server.endpoint());
        assertThat(S3Server.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(S3Server.endpoint()).isSameAs(S3Server.endpoint());
    }

    @Test
    void describesItselfAsAnS3Url() {
        assertThat(store.describe()).isEqualTo("s3://" + bucket + "/exports/orders");
        assertThat(store.locationOf("AWSDynamoDB/x/manifest-summary.json"))
                .isEqualTo("s3://" + bucket + "/exports/orders/AWSDynamoDB/x/manifest-summary.json");
    }

    @Test
    void writesUnderThePrefix_andSinglePutEtagIsTheMd5() throws Exception {
        byte[] bytes = "{}".getBytes(StandardCharsets.UTF_8);

        StoredObject committed = write("manifest-summary.json", bytes);

        assertThat(committed.etag()).isEqualTo(md5(bytes));
        assertThat(S3Server.client().headObject(b -> b.bucket(bucket).key("exports/orders/manifest-summary.json")).contentLength())
                .isEqualTo(2L);
    }

    @Test
    void listsEveryObjectAcrossManyPages_onceEach() throws Exception {
        AtomicInteger listCalls = new AtomicInteger();
        S3Client counting = S3Client.builder()
                .endpointOverride(S3Server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(S3Server.environment().credentials())
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof ListObjectsV2Request) {
                            listCalls.incrementAndGet();
                        }
                    }
                }))
                .build();
        for (int i = 44; i >= 0; i--) {
            String key = "exports/orders/" + DATA + String.format("part-%03d.json.gz", i);
            S3Server.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        // A "folder" the console makes, and a neighbour outside the prefix: neither is an object of the store.
        S3Server.client().putObject(b -> b.bucket(bucket).key("exports/orders/AWSDynamoDB/"), RequestBody.empty());
        S3Server.client().putObject(b -> b.bucket(bucket).key("exports/orders-old/x.json"), RequestBody.fromString("x"));

        List<StoredObject> listed;
        try (ExportStore paged = new S3Store(S3Location.parse("s3://" + bucket + "/exports/orders"), counting, 7)) {
            listed = paged.list("");
        }

        assertThat(listed).extracting(StoredObject::name).hasSize(45).doesNotHaveDuplicates()
                .isSortedAccordingTo(ObjectNames.UTF8_ORDER)
                .allSatisfy(name -> assertThat(name).startsWith(DATA + "part-"));
        assertThat(listed.get(0).size()).isEqualTo(("exports/orders/" + DATA + "part-000.json.gz").length());
        assertThat(listCalls).as("pages of 7 keys (and the folder marker)").hasValue(7);
    }

    @Test
    void refusesMissingBucket_withOneLineUsageErrorNamingIt() {
        String missing = "no-such-bucket-" + bucket;
        try (ExportStore absent = ExportStore.open("s3://" + missing + "/x", S3Server.environment(), S3Server.settings())) {
            assertThatThrownBy(() -> absent.list("")).satisfies(error -> assertOneLineUsage(error, missing, "does not exist"));
            assertThatThrownBy(() -> absent.stat("a.json")).satisfies(error -> assertOneLineUsage(error, missing, "does not exist"));
            assertThatThrownBy(() -> absent.open("a.json")).satisfies(error -> assertOneLineUsage(error, missing, "does not exist"));
            assertThatThrownBy(() -> {
                try (StoredOutput output = absent.create("a.json")) {
                    output.stream().write(1);
                    output.commit();
                }
            }).satisfies(error -> assertOneLineUsage(error, missing, "does not exist"));
            assertThatThrownBy(() -> {
                try (StoredOutput output = absent.create("big.json")) {
                    output.stream().write(bytes(9 * MIB, 5));
                    output.commit();
                }
            }).satisfies(error -> assertOneLineUsage(error, missing, "does not exist"));
        }
    }

    @Test
    void failsWithOneLine_whenTheEndpointIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        S3Settings nowhere = new S3Settings(null, Region.US_EAST_1, URI.create("http://127.0.0.1:" + port));
        try (ExportStore unreachable = ExportStore.open("s3://" + bucket, S3Server.environment(), nowhere)) {
            assertThatThrownBy(() -> unreachable.list("")).isInstanceOfSatisfying(DynamoException.class, error -> {
                assertThat(error.exitCode()).isEqualTo(ExitCode.FAILURE);
                assertThat(error.getMessage()).doesNotContain("\n").contains("cannot reach S3 at http://127.0.0.1:" + port, "s3://" + bucket,
                        "connection refused");
            });
        }
    }

    @Test
    void leavesNoUploadBehind_whenMultipartObjectIsAborted() {
        try (StoredOutput output = store.create(DATA + "big.json.gz")) {
            output.stream().write(bytes(17 * MIB, 6));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        assertThat(S3Server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void signsWithTheS3Profile_whenOneIsNamed(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[backup-account]\naws_access_key_id = AKIDBACKUP\n"
                + "aws_secret_access_key = secret\n");
        Files.writeString(home.resolve(".aws/config"), "[profile broken]\ncredential_process = /bin/false\n");
        EnvironmentResolver resolver = new EnvironmentResolver(Map.of(), home);
        String location = "s3://" + bucket + "/exports/orders";

        try (ExportStore viaProfile = ExportStore.open(location, S3Server.environment(),
                new S3Settings("backup-account", null, S3Server.endpoint()), resolver)) {
            try (StoredOutput output = viaProfile.create("manifest-summary.json")) {
                output.stream().write('x');
                output.commit();
            }
        }
        assertThat(store.stat("manifest-summary.json")).isPresent();

        // The profile's credentials are the ones asked for: a profile whose credential_process fails fails the call.
        try (ExportStore broken = ExportStore.open(location, S3Server.environment(),
                new S3Settings("broken", null, S3Server.endpoint()), resolver)) {
            assertThatThrownBy(() -> broken.list("")).isInstanceOfSatisfying(DynamoException.class, error -> {
                assertThat(error.exitCode()).isEqualTo(ExitCode.FAILURE);
                assertThat(error.getMessage()).doesNotContain("\n").contains("cannot get AWS credentials", location, "'broken'",
                        "--s3-profile");
            });
        }
        assertThatThrownBy(() -> ExportStore.open(location, S3Server.environment(), new S3Settings("nope", null, null), resolver))
                .satisfies(error -> assertOneLineUsage(error, "unknown AWS profile 'nope'"));
    }
}
