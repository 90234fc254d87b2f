package dev.dynamo.testing;

import java.util.List;

/**
 * What one run of the command line did. {@link #toString()} shows everything, so an AssertJ
 * failure message says which args gave which exit code and output.
 */
public record CommandResult(List<String> args, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
        return "\n  args:   " + String.join(" ", args)
                + "\n  exit:   " + exitCode
                + "\n  stdout: " + indent(stdout)
                + "\n  stderr: " + indent(stderr);
    }

    private static String indent(String text) {
        return text.isEmpty() ? "(empty)" : text.replace("\n", "\n          ");
    }

    /** stdout's lines. */
    public List<String> lines() {
        return stdout.lines().toList();
    }
}
