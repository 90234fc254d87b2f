package dev.dynamo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code copy} and {@code verify} are alike in: a job from a source table to a target table, with the same help
 * layout (options in the declared order, placed with {@code order} where a command lists its own among the shared
 * ones, see {@link OrderedOptionsHelp}) and the same bundle of option descriptions, SharedOptions.properties. picocli
 * reads a superclass's {@code @Command} attributes and fields first, so {@code -t}, the environments and
 * {@code --target-table} open both option lists.
 */
@Command(mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        resourceBundle = "dev.dynamo.cli.SharedOptions",
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%nExamples:%n")
abstract class SourceTargetCommand {
    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    SourceTargetOptions environments;
}
