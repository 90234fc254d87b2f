package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The packaged dynamo-spark.jar, run as spark-submit runs it: a JVM whose classpath is Spark's jars and ours, with
 * Spark's Java 17 options, on a local master. Only what the unit tests cannot show (they run unshaded, on the test
 * classpath): the shaded jar's classes work beside Spark's (one small copy, exact), and what Spark brings is relocated
 * or left out.
 */
@EngineTest
class SparkJarIT {
    private static final Path JAR = Path.of(System.getProperty("dynamo.spark.jar", "target/dynamo-spark.jar"));
    private static final Path SPARK_JARS = Path.of(System.getProperty("dynamo.spark.jars", "target/spark-jars"));
    private static final Path CLUSTER_AWS_SDK = Path.of(System.getProperty("dynamo.cluster.aws.sdk", "target/cluster-aws-sdk"));

    @TempDir
    Path home;

    @Test
    void jarHoldsNoSparkAndRelocatesWhatSparkOrAClusterBrings() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(entry -> entry.getName()).toList();
            assertThat(names).contains("dev/dynamo/spark/DynamoSpark.class", "dev/dynamo/copy/BatchWriter.class",
                    "dev/dynamo/shaded/awssdk/services/dynamodb/DynamoDbClient.class",
                    // the SDK's resources, found by the relocated names its relocated classes ask for
                    "dev/dynamo/shaded/awssdk/regions/internal/region/endpoints.json",
                    "dev/dynamo/shaded/awssdk/awscore/internal/defaults/sdk-default-configuration.json");
            assertThat(names).anyMatch(name -> name.startsWith("dev/dynamo/shaded/jackson/"));
            assertThat(names).filteredOn(name -> name.endsWith(".class")).noneMatch(name -> name.startsWith("org/apache/spark/")
                    || name.startsWith("scala/") || name.startsWith("com/fasterxml/") || name.startsWith("org/apache/http/")
                    || name.startsWith("org/slf4j/") || name.startsWith("io/netty/") || name.startsWith("org/apache/commons/")
                    || name.startsWith("software/amazon/") || name.startsWith("org/reactivestreams/")
                    || name.startsWith("org/apache/hc/") || name.startsWith("com/amazon/ion/"));
            assertThat(names).noneMatch(name -> name.startsWith("software/amazon/awssdk/")
                    || name.startsWith("META-INF/services/software.amazon"));
            String httpServices = new String(jar.getInputStream(jar.getEntry("META-INF/services/dev.dynamo.shaded.awssdk.http.SdkHttpService"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(httpServices).contains("dev.dynamo.shaded.awssdk.http.apache.ApacheSdkHttpService").doesNotContain("software.amazon");
        }
        // Measured 2026-12: about 21 MB (the CLI's dynamo.jar, which holds the same SDK, is of the same order).
        assertThat(Files.size(JAR)).isLessThan(40L << 20);
    }

    @Test
    void scriptShowsHelpAndRefusesAnUnknownOptionInOneLine() throws Exception {
        Path script = Path.of(System.getProperty("dynamo.root.dir", "..")).resolve("dynamo-spark");

        Result help = runScript(script, "copy", "--help");
        assertThat(help.exitCode()).as("%s", help).isZero();
        assertThat(help.out()).contains("Usage: dynamo-spark copy ").contains("--resume").contains("[API: ");
        assertThat(help.err()).isEmpty();

        Result unknown = runScript(script, "copy", "-t", "T", "--source", "a", "--target", "b", "--no-such-option");
        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("dynamo: Unknown option: '--no-such-option' (see dynamo-spark copy --help)\n");
    }

    record Result(int exitCode, String out, String err) {
    }

    private Result runScript(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(home.resolve("script-stderr.txt").toFile());
        builder.environment().put("DYNAMO_SPARK_JAR", JAR.toAbsolutePath().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, Files.readString(home.resolve("script-stderr.txt")));
    }

    /** On Spark for Scala 2.12, as released; with -Pscala-2.13-check (see spark/pom.xml), the same jar on Spark for 2.13. */
    @Test
    void copiesExactly_onSparksJarsAndOurs(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String scala = System.getProperty("dynamo.spark.scala.binary", "2.12");
        List<String> sparkJars;
        try (Stream<Path> files = Files.list(SPARK_JARS)) {
            sparkJars = files.map(file -> file.getFileName().toString()).toList();
        }
        assertThat(sparkJars).as("Spark for Scala %s in %s", scala, SPARK_JARS)
                .anyMatch(name -> name.startsWith("spark-core_" + scala + "-3.5."))
                .anyMatch(name -> name.startsWith("scala-library-" + scala + "."))
                .noneMatch(name -> name.startsWith("spark-core_") && !name.startsWith("spark-core_" + scala + "-"));
        copiesExactly(db, other, JAR + File.pathSeparator + SPARK_JARS + "/*");
    }

    /**
     * EMR 7 and Glue 5 put their own, older AWS SDK v2 before the user's jar on the classpath (here EMR 7.0's 2.20.160).
     * Without the SDK relocated, its classes and ours mix and the copy fails (measured: a NoSuchMethodError for
     * {@code ClientOverrideConfiguration.Builder.retryStrategy}, as a stack trace).
     */
    @Test
    void copiesExactly_withAnOlderAwsSdkBeforeOurJar(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        assertThat(CLUSTER_AWS_SDK.resolve("dynamodb-" + System.getProperty("cluster.aws.sdk.version", "2.20.160") + ".jar"))
                .as("the older SDK, copied by the pom's cluster-aws-sdk execution").isRegularFile();
        copiesExactly(db, other, CLUSTER_AWS_SDK + "/*" + File.pathSeparator + JAR + File.pathSeparator + SPARK_JARS + "/*");
    }

    private void copiesExactly(LocalDynamoDb db, LocalDynamoDb other, String classpath) throws Exception {
        String source = TestTables.table("spark-jar").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(50, 7));
        String target = TestTables.uniqueName("spark-jar-copy");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList(System.getProperty("spark.java.options").trim().split("\\s+")));
        command.addAll(List.of("-Duser.home=" + home, "-Daws.disableEc2Metadata=true", "-Dspark.local.dir=" + home.resolve("spark"),
                "-Dlog4j2.configurationFile=dynamo-spark-log4j2.properties", "-cp", classpath,
                "dev.dynamo.spark.DynamoSpark", "--master", "local[2]", "copy", "-t", source, "--source", db.env(), "--target", other.env(),
                "--target-table", target, "--create-table", "--summary", "json", "--no-progress"));
        Process process = new ProcessBuilder(command).redirectError(home.resolve("stderr.txt").toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(home.resolve("stderr.txt"));

        assertThat(process.exitValue()).as("stdout %s\nstderr %s", out, err).isZero();
        assertThat(err).as("Spark's log at WARN, by the jar's dynamo-spark-log4j2.properties").doesNotContain(" INFO ");
        assertThat(out).contains("\"written\":50,");
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
    }
}
