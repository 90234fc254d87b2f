package dev.dynamo.testing;

import dev.dynamo.env.Environment;
import dev.dynamo.store.S3Settings;
import java.net.URI;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 endpoint the tests talk to: S3Proxy (an open-source S3 server) started in this JVM on a free
 * port of 127.0.0.1 with jclouds' in-memory "transient" store and no authorization, once per JVM on
 * first use and stopped by a shutdown hook; or, when the system property {@value #ENDPOINT_PROPERTY}
 * (or the variable {@value #ENDPOINT_VARIABLE}) names one, an S3-compatible endpoint someone else runs.
 *
 * <p>Each test makes its own bucket with {@link #createBucket(String)}; no test depends on another's data.
 * Thread-safe.
 */
public final class S3Server {
    public static final String ENDPOINT_PROPERTY = "dynamo.test.s3.endpoint";
    public static final String ENDPOINT_VARIABLE = "DYNAMO_TEST_S3_ENDPOINT";
    /** S3Proxy signs nothing and checks nothing: any keys do. */
    private static final AwsBasicCredentials TEST_CREDENTIALS = AwsBasicCredentials.create("test", "test");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** This run's token in every bucket name, as TestTables puts one in every table name. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000_000L, 36) + "-p"
            + ProcessHandle.current().pid();  // with the process id: the build runs two test JVMs side by side

    private static S3Server shared;

    private final URI endpoint;
    private final S3Client client;
    private final long startMillis;

    private S3Server(URI endpoint, long startMillis) {
        this.endpoint = endpoint;
        this.startMillis = startMillis;
        this.client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(endpoint))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
                .build();
    }

    /** The shared server: the configured endpoint, or S3Proxy started on first use. */
    public static synchronized S3Server get() {
        if (shared == null) {
            String configured = System.getProperty(ENDPOINT_PROPERTY);
            if (configured == null || configured.isBlank()) {
                configured = System.getenv(ENDPOINT_VARIABLE);
            }
            shared = configured == null || configured.isBlank() ? startS3Proxy() : new S3Server(URI.create(configured.strip()), 0);
        }
        return shared;
    }

    /** The shared server's endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public static URI endpoint() {
        return get().endpoint;
    }

    /** A raw client of the shared server, for a test to look at what a store wrote. */
    public static S3Client client() {
        return get().client;
    }

    /** What {@code --s3-endpoint-url} gives the stores: this server, region us-east-1. */
    public static S3Settings settings() {
        return new S3Settings(null, Region.US_EAST_1, endpoint());
    }

    /**
     * An environment whose credentials the server accepts (a table's environment, as far as S3 is
     * concerned: its DynamoDB endpoint is never used for S3).
     */
    public static Environment environment() {
        return new Environment("s3-test", null, Region.US_EAST_1, null, credentials(endpoint()));
    }

    /** How long S3Proxy took to start, or 0 for an endpoint someone else runs. */
    public static long startMillis() {
        return get().startMillis;
    }

    /**
     * Creates a bucket no other test uses, {@code prefix-run-n} in lower case (3 to 63 characters,
     * as S3 wants), and returns its name.
     */
    public static String createBucket(String prefix) {
        String name = (prefix + "-" + RUN + "-" + BUCKETS.incrementAndGet()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (name.length() > 63) {
            name = name.substring(name.length() - 63).replaceAll("^[^a-z0-9]+", "");
        }
        String bucket = name;
        client().createBucket(request -> request.bucket(bucket));
        return bucket;
    }

    private static S3Server startS3Proxy() {
        quietenServerLogs();
        long start = System.nanoTime();
        Properties properties = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT_SECONDS + " s: " + proxy.getState());
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception e) {
                // the JVM is ending anyway
            }
            context.close();
        }, "s3proxy-stop"));
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        LoggerFactory.getLogger(S3Server.class).info("S3Proxy listening on {} (started in {} ms)", endpoint, millis);
        return new S3Server(endpoint, millis);
    }

    private static AwsCredentialsProvider credentials(URI endpoint) {
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        return local ? StaticCredentialsProvider.create(TEST_CREDENTIALS) : DefaultCredentialsProvider.builder().build();
    }

    /**
     * Jetty, jclouds and S3Proxy log every request at DEBUG, which Logback prints by default in tests. (The Spark
     * module's tests log through Log4j 2, configured by a file, and have no Logback: its classes are touched only when
     * it is the logger.)
     */
    private static void quietenServerLogs() {
        if (LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            Logback.quieten();
        }
    }

    private static final class Logback {
        static void quieten() {
            var logs = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
            for (String name : new String[] {"org.eclipse.jetty", "org.jclouds", "org.gaul", "jclouds"}) {
                logs.getLogger(name).setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }
}
