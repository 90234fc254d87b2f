package dev.dynamo.cli;

import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.output.OutputFormat;
import dev.dynamo.output.TableNamesPrinter;
import dev.dynamo.table.TableCatalog;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code dynamo tables}: the table names of an environment, one per line. */
@Command(name = "tables",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "List the tables of an environment: one name per line, or JSON (-o json, -o jsonl).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:runtime failure", "2:usage error"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  dynamo tables -e dev",
            "  dynamo tables -e http://localhost:8000 -o json",
            "",
            "[API: ListTables]",
        })
final class TablesCommand implements Callable<Integer> {
    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.Tables.class, completionCandidates = FormatConverter.Tables.class,
            description = "text (one name per line), json ({\"TableNames\": [...]}, as the AWS CLI's list-tables) or "
                    + "jsonl (one JSON string per line). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() {
        EnvironmentDefaults.apply(spec, root.context().resolver(), connection.toSpec(), EnvironmentDefaults.Key.OUTPUT);
        Environment environment = root.context().resolver().resolve(connection.toSpec());
        List<String> names;
        try (DynamoDbClient client = DynamoClientFactory.create(environment)) {
            names = new TableCatalog(client, environment).tableNames();
        }
        PrintWriter out = spec.commandLine().getOut();
        TableNamesPrinter.print(out, output, names);
        return 0;
    }
}
