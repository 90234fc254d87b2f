package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ten likeliest typos of a command or an option: each is named in one line with the nearest
 * word and the help to read, with exit 2; a word with nothing near it gets no guess.
 */
class TypoSuggestionTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            exprot                        | unknown command 'exprot'; did you mean 'export'? (see 'dynamo --help')
            improt                        | unknown command 'improt'; did you mean 'import'? (see 'dynamo --help')
            qeury -t T a -e dev           | unknown command 'qeury'; did you mean 'query'? (see 'dynamo --help')
            cpoy                          | unknown command 'cpoy'; did you mean 'copy'? (see 'dynamo --help')
            tabels -e dev                 | unknown command 'tabels'; did you mean 'tables'? (see 'dynamo --help')
            descibe                       | unknown command 'descibe'; did you mean 'describe'? (see 'dynamo --help')
            query --tabel T a -e dev      | unknown option '--tabel'; did you mean '--table'? (see 'dynamo query --help')
            copy -t T --souce a --target b | unknown option '--souce'; did you mean '--source'? (see 'dynamo copy --help')
            copy -t T --src a --dst b --thread 4 | unknown option '--thread'; did you mean '--threads'? (see 'dynamo copy --help')
            tables --regoin eu-west-1     | unknown option '--regoin'; did you mean '--region'? (see 'dynamo tables --help')
            """)
    void suggestsTheNearestWord(String args, String message) {
        assertThat(Cli.isolated(home).fail(2, args.trim().split(" +")).stderr()).isEqualTo("dynamo: " + message + "\n");
    }

    @Test
    void guessesNothing_whenNothingIsNear() {
        assertThat(Cli.isolated(home).fail(2, "frobnicate").stderr())
                .isEqualTo("dynamo: unknown command 'frobnicate' (see 'dynamo --help')\n");
        assertThat(Cli.isolated(home).fail(2, "query", "-t", "T", "a", "-e", "dev", "--no-such-option").stderr())
                .isEqualTo("dynamo: unknown option '--no-such-option' (see 'dynamo query --help')\n");
        assertThat(Cli.isolated(home).fail(2, "-x").stderr()).isEqualTo("dynamo: unknown option '-x' (see 'dynamo --help')\n");
    }

    @Test
    void namesTheOptionWithoutItsAttachedValue() {
        assertThat(Cli.isolated(home).fail(2, "tables", "--regoin=eu-west-1").stderr())
                .isEqualTo("dynamo: unknown option '--regoin'; did you mean '--region'? (see 'dynamo tables --help')\n");
    }

    @Test
    void nearestAllowsFewerEditsForShorterWords() {
        assertThat(Nearest.to("exprot", java.util.List.of("export", "import"))).contains("export");
        assertThat(Nearest.to("cp", java.util.List.of("copy"))).isEmpty();
        assertThat(Nearest.to("export", java.util.List.of("export"))).isEmpty();
        assertThat(Nearest.distance("ab", "ba")).isEqualTo(1);
    }

    @Test
    void helpCommand_printsTheRootOrACommandsHelp() {
        assertThat(Cli.isolated(home).succeed("help").stdout()).startsWith("Usage: dynamo ").contains("help");
        assertThat(Cli.isolated(home).succeed("help", "copy").stdout())
                .isEqualTo(Cli.isolated(home).succeed("copy", "--help").stdout());
        assertThat(Cli.isolated(home).fail(2, "help", "exprot").stderr())
                .isEqualTo("dynamo: unknown command 'exprot'; did you mean 'export'? (see 'dynamo --help')\n");
    }
}
