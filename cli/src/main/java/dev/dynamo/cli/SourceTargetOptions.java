package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where a copy reads and writes, and what a verification compares: {@code -t TABLE} in {@code --source ENV} and
 * {@code --target-table} (default: the same name) in {@code --target ENV}, each environment with the same
 * overrides {@code -e} has ({@code --source-profile}, {@code --target-region}, ...). Both sides
 * convert to the same record, {@link EnvironmentSpec}, and are resolved alike. The two commands describe
 * {@code -t}, {@code --target} and {@code --target-table} in their own words: SharedOptions.properties (the commands' bundle),
 * under each command's qualified name.
 */
public final class SourceTargetOptions {
    /** DynamoDB's table names: 3 to 255 letters, digits, underscores, hyphens and dots. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", preprocessor = AttachedTableName.class,
            descriptionKey = "table")
    String table;

    @Option(names = {"--source", "--src", "-src"}, required = true, paramLabel = "ENV",
            description = "Where to read: an environment named in the environments file, an AWS profile or an "
                    + "endpoint URL (http://localhost:8000).")
    String source;

    @Option(names = {"--target", "--dst", "-tgt"}, required = true, paramLabel = "ENV", descriptionKey = "target")
    String target;

    @Option(names = "--source-profile", paramLabel = "NAME", description = "AWS profile for the source (overrides the one ENV names).")
    String sourceProfile;

    @Option(names = "--source-region", paramLabel = "REGION", description = "Region of the source (overrides the profile's).")
    String sourceRegion;

    @Option(names = "--source-endpoint-url", paramLabel = "URL", description = "Endpoint of the source (overrides every other setting).")
    String sourceEndpointUrl;

    @Option(names = "--target-profile", paramLabel = "NAME", description = "AWS profile for the target.")
    String targetProfile;

    @Option(names = "--target-region", paramLabel = "REGION", description = "Region of the target.")
    String targetRegion;

    @Option(names = "--target-endpoint-url", paramLabel = "URL", description = "Endpoint of the target.")
    String targetEndpointUrl;

    @Option(names = "--target-table", paramLabel = "NAME", preprocessor = AttachedTableName.class, descriptionKey = "target-table")
    String targetTable;

    /**
     * Checks that both table names are DynamoDB table names.
     *
     * @throws DynamoException (usage) naming the option and the rule
     */
    void checkTableNames() {
        checkTableName(table, "-t/--table");
        if (targetTable != null) {
            checkTableName(targetTable, "--target-table");
        }
    }

    private static void checkTableName(String name, String option) {
        if (!TABLE_NAME.matcher(name).matches()) {
            throw DynamoException.usage(option + " '" + name + "' is not a DynamoDB table name: 3 to 255 letters, digits, "
                    + "'_', '-' and '.'");
        }
    }

    Environment source(EnvironmentResolver resolver) {
        return resolver.resolve(sourceSpec());
    }

    Environment target(EnvironmentResolver resolver) {
        return resolver.resolve(targetSpec());
    }

    EnvironmentSpec sourceSpec() {
        return new EnvironmentSpec(source, sourceProfile, sourceRegion, sourceEndpointUrl);
    }

    EnvironmentSpec targetSpec() {
        return new EnvironmentSpec(target, targetProfile, targetRegion, targetEndpointUrl);
    }
}
