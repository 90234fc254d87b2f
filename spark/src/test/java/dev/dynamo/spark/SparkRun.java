package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.env.EnvironmentResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * One {@code dynamo-spark} command run in-process, as {@link DynamoSpark#main} would run it, on the test JVM's shared
 * context ({@link SparkTestContext}), with {@code home} as the home directory: its exit code, stdout and stderr (all
 * three in {@link #toString}, for assertion messages).
 */
record SparkRun(int exitCode, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static SparkRun of(Path home, String... args) {
        SparkTestContext.get();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DynamoSpark.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), master -> SparkTestContext.get(),
                new EnvironmentResolver(Map.of(), home));
        return new SparkRun(code, out.toString(), err.toString());
    }

    /** The {@code --summary json} object on stdout. */
    JsonNode summary() throws IOException {
        return JSON.readTree(out);
    }
}
