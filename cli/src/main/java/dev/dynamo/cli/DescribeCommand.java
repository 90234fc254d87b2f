package dev.dynamo.cli;

import dev.dynamo.Counts;
import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.output.OutputFormat;
import dev.dynamo.output.SdkJson;
import dev.dynamo.table.IndexSchema;
import dev.dynamo.table.TableCatalog;
import dev.dynamo.table.TableSchema;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@code dynamo describe}: keys, indexes, projections, item count, size and billing of a table. */
@Command(name = "describe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "Show a table's keys, secondary indexes and their projections, item count, size and billing mode.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:runtime failure", "2:usage error (unknown table or profile)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  dynamo describe -t Orders -e dev",
            "  dynamo describe -t Orders -e http://localhost:8000 -o json",
            "",
            "[API: DescribeTable]",
        })
final class DescribeCommand implements Callable<Integer> {
    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", preprocessor = AttachedTableName.class,
            description = "The table to describe.")
    String table;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.Describe.class, completionCandidates = FormatConverter.Describe.class,
            description = "text, or json (DescribeTable's own {\"Table\": {...}}, as the AWS CLI's describe-table). "
                    + "Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() {
        EnvironmentDefaults.apply(spec, root.context().resolver(), connection.toSpec(), EnvironmentDefaults.Key.OUTPUT);
        Environment environment = root.context().resolver().resolve(connection.toSpec());
        TableDescription description;
        try (DynamoDbClient client = DynamoClientFactory.create(environment)) {
            description = new TableCatalog(client, environment).description(table);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.JSON) {
            // {"Table": {"AttributeDefinitions": [...], "TableName": "Orders", "KeySchema": [...], ...}}
            out.println(SdkJson.pretty(DescribeTableResponse.builder().table(description).build()));
        } else {
            printText(out, TableCatalog.toSchema(description, environment.describe()));
        }
        out.flush();
        return 0;
    }

    private static void printText(PrintWriter out, TableSchema schema) {
        // Table:          Orders (ACTIVE)
        out.printf("Table:          %s (%s)%n", schema.name(), schema.status());
        out.printf("Environment:    %s%n", schema.environment());
        out.printf("Partition key:  %s%n", schema.keys().partitionKey());
        out.printf("Sort key:       %s%n", schema.keys().hasSortKey() ? schema.keys().sortKey() : "(none)");
        out.printf("Billing mode:   %s%n", billing(schema));
        out.printf("Items:          %,d (DynamoDB updates this about every six hours)%n", schema.itemCount());
        out.printf("Size:           %s%n", Counts.bytes(schema.sizeBytes()));
        if (schema.indexes().isEmpty()) {
            out.println("Indexes:        (none)");
            return;
        }
        out.println("Indexes:");
        int width = schema.indexes().stream().mapToInt(index -> index.name().length()).max().orElse(0);
        for (IndexSchema index : schema.indexes()) {
            //   byStatus  GSI  status (S), created (N)  projection ALL
            out.printf("  %-" + width + "s  %s  %s  projection %s%n", index.name(), index.kind(), index.keys(), index.projection());
        }
    }

    private static String billing(TableSchema schema) {
        return schema.billingMode().equals("PROVISIONED")
                ? "PROVISIONED (" + schema.readCapacity() + " RCU, " + schema.writeCapacity() + " WCU)"
                : schema.billingMode();
    }
}
