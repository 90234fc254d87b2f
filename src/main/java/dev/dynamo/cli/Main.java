package dev.dynamo.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The entry point of dynamo.jar. The only place that calls {@code System.exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(
                new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = CommandLineFactory.create(CliContext.system(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}
