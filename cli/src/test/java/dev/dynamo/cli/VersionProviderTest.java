package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dynamo --version} names the build's version and the commit it was built from. */
class VersionProviderTest {
    @TempDir
    Path home;

    @Test
    void printsTheBuildsVersion_andTheCommit() throws Exception {
        Properties build = VersionProvider.buildProperties();
        assertThat(build.getProperty("version")).as("written by the build (cli/pom.xml)").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        String commit = headCommit();
        assertThat(Cli.isolated(home).succeed("--version").lines()).first()
                .isEqualTo("dynamo " + build.getProperty("version") + " (git " + commit + ")");
    }

    @Test
    void saysUnknown_whenTheBuildHadNoGit() {
        Properties build = new Properties();
        build.setProperty("version", "1.2.3");
        build.setProperty("commit", "unknown");
        assertThat(VersionProvider.versionLine(build)).isEqualTo("dynamo 1.2.3 (git unknown)");
        build.remove("commit");
        assertThat(VersionProvider.versionLine(build)).isEqualTo("dynamo 1.2.3 (git unknown)");
    }

    /** The commit the tests run at, as the build saw it: the same command, or "unknown" without git. */
    private static String headCommit() throws InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
        } catch (IOException noGit) {
            return "unknown";
        }
    }
}
