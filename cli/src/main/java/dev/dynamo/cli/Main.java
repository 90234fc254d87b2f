package dev.dynamo.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The entry point of dynamo.jar. The only place that calls {@code System.exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Stdout straight on its file descriptor, not through System.out: System.out is a PrintStream, which swallows the
        // write error of a closed pipe (dynamo query ... | head -1), so the PrintWriter above it never saw one and a query
        // went on reading (and paying for) its whole partition after head had exited.
        PrintWriter out = new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = CommandLineFactory.create(CliContext.system(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}
