package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellQuotingTest {
    @Test
    void leavesPlainWordsAlone_andSingleQuotesTheRest() {
        assertThat(ShellQuoting.quote("--table")).isEqualTo("--table");
        assertThat(ShellQuoting.quote("http://127.0.0.1:8000")).isEqualTo("http://127.0.0.1:8000");
        assertThat(ShellQuoting.quote("/tmp/a-b_c.json")).isEqualTo("/tmp/a-b_c.json");
        assertThat(ShellQuoting.quote("customer#42")).isEqualTo("'customer#42'");
        assertThat(ShellQuoting.quote("total >= 100")).isEqualTo("'total >= 100'");
        assertThat(ShellQuoting.quote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
    }
}
