package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.completion.BashCompletion;
import dev.dynamo.completion.CompletionModel;
import dev.dynamo.completion.FishCompletion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dynamo completion SHELL}: the shell's completion script, on stdout. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        header = "Print the shell completion script for bash, zsh or fish.",
        description = {
            "The script completes commands, options, their values,",
            "environments and AWS profiles, and after -t the tables of the environment",
            "named on the line (asked of dynamo, with a 2-second limit).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:usage error (unknown shell)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(dynamo completion bash)",
            "  dynamo completion bash > ~/.local/share/bash-completion/completions/dynamo",
            "  dynamo completion zsh > ~/.zfunc/_dynamo      (fpath+=(~/.zfunc) before",
            "                                                compinit in ~/.zshrc)",
            "  dynamo completion fish > ~/.config/fish/completions/dynamo.fish",
            "",
            "[API: ListTables, when a table name is completed]",
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // A word, not the enum: picocli would word a bad value "Invalid value for positional parameter at index 0 (SHELL)".
    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.", completionCandidates = ShellNames.class)
    String shell;

    @Mixin
    VerbosityOptions verbosity;

    /** The shells, as {@code completion} takes them and its own completion proposes them. */
    static final class ShellNames extends java.util.ArrayList<String> {
        ShellNames() {
            super(java.util.List.of("bash", "zsh", "fish"));
        }
    }

    @Override
    public Integer call() {
        CompletionModel model = CompletionModel.of(spec.root());
        String script = switch (shell) {
            case "bash" -> BashCompletion.bash(model);
            case "zsh" -> BashCompletion.zsh(model);
            case "fish" -> FishCompletion.fish(model);
            default -> throw DynamoException.usage("unknown shell '" + shell + "': completion scripts are for bash, zsh and fish");
        };
        PrintWriter out = spec.commandLine().getOut();
        out.print(script);
        out.flush();
        return 0;
    }
}
