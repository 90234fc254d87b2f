package dev.dynamo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dynamo}: the root command. Holds the context its subcommands use. */
@Command(name = "dynamo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "Copy Amazon DynamoDB data between environments (accounts, profiles, regions, endpoints), "
                + "export it to files or S3 and import it back, and query tables and their secondary indexes.",
        subcommands = {QueryCommand.class, CopyCommand.class, VerifyCommand.class, ExportCommand.class, ImportCommand.class, TablesCommand.class, DescribeCommand.class,
            CompletionCommand.class, CompleteCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure (DynamoDB, network, credentials, items not written)",
            "2:usage error (bad option or value, unknown table, index or profile); nothing was written",
            "130:interrupted (Ctrl-C)",
            "143:terminated (SIGTERM); a copy stops gracefully, as on Ctrl-C",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  dynamo tables -e dev",
            "  dynamo describe -t Orders -e dev",
            "  dynamo query -t Orders --pk customer#42 -e http://localhost:8000 -o table",
            "",
            "ENV is an environment named in ~/.dynamo/config.toml (or $DYNAMO_CONFIG), an",
            "AWS profile (region, endpoint_url, role_arn, SSO, credential_process from",
            "~/.aws/config and ~/.aws/credentials) or an endpoint URL.",
            "",
            "[API: ListTables, DescribeTable, Query]",
        })
public final class DynamoCommand implements Runnable {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    VerbosityOptions verbosity;

    DynamoCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    @Override
    public void run() {
        // dynamo with no subcommand: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
