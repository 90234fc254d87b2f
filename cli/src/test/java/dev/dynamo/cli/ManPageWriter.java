package dev.dynamo.cli;

import dev.dynamo.env.EnvironmentResolver;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time tool, not a test: writes one AsciiDoc man page per command (dynamo.adoc, dynamo-copy.adoc, ...) from the
 * real command model, the one {@link CommandLineFactory} builds. The build (cli/pom.xml, phase prepare-package) runs it,
 * then asciidoctor's manpage backend turns the pages into troff in target/man. It lives with the tests so that
 * picocli-codegen stays out of dynamo.jar.
 *
 * <p>The model is built as the help snapshots build it (no environment variables, an empty home), so that the pages do
 * not depend on who builds them: no defaults from the builder's ~/.aws or environments file.
 */
public final class ManPageWriter {
    /** The synopsis is one paragraph that man fills to its own width: picocli must not wrap it (nor split a style). */
    private static final int UNWRAPPED_COLUMNS = 2000;

    /** {@code *--sk-between*_=LOW HIGH_}: an option whose label is shown as is (hideParamSyntax) puts the '=' inside it. */
    private static final Pattern EQUALS_INSIDE_LABEL = Pattern.compile("\\*_=");
    /** An exit code's continuation line, which picocli writes as an entry with an empty code: {@code **::}. */
    private static final Pattern EXIT_CODE_CONTINUATION = Pattern.compile("\n\n\\*\\*::\n +");
    /** A paragraph of the footer, where picocli keeps the help's line breaks: {@code [%hardbreaks]} and its lines. */
    private static final Pattern HARD_BROKEN_PARAGRAPH = Pattern.compile("(?m)^\\[%hardbreaks]\n((?:.+\n?)+)");

    private ManPageWriter() {
    }

    /** {@code ManPageWriter OUTDIR}: writes the pages into OUTDIR; fails if the generator does. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPageWriter OUTDIR");
        }
        Path outdir = Path.of(args[0]);
        CommandLine commandLine = CommandLineFactory.create(
                new CliContext(new EnvironmentResolver(Map.of(), outdir.resolve("no-home")), Terminal.NONE),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        commandLine.setUsageHelpAutoWidth(false);
        commandLine.setUsageHelpWidth(UNWRAPPED_COLUMNS);
        int exitCode = ManPageGenerator.generateManPage(outdir.toFile(), (File) null, new boolean[0], false, commandLine.getCommandSpec());
        if (exitCode != CommandLine.ExitCode.OK) {
            throw new IllegalStateException("picocli's man page generator failed with exit code " + exitCode);
        }
        List<Path> pages;
        try (Stream<Path> files = Files.list(outdir)) {
            pages = files.filter(file -> file.toString().endsWith(".adoc")).toList();
        }
        for (Path page : pages) {
            Files.writeString(page, tidy(Files.readString(page, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
        appendLegacyNames(outdir, commandLine.getCommandSpec());
    }

    /**
     * The help names dynamo-cmdline's single-dash spellings ({@code -src}, {@code -pk}) once, in a section of its own that
     * picocli's generator does not know: each page gets it as a section too.
     */
    private static void appendLegacyNames(Path outdir, CommandSpec spec) throws IOException {
        String line = OptionNames.legacyLine(spec);
        Path page = outdir.resolve(spec.qualifiedName("-") + ".adoc");
        if (line != null && Files.exists(page)) {
            Files.writeString(page, "\n== SINGLE-DASH FORMS\n\n" + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        for (CommandLine sub : spec.subcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                appendLegacyNames(outdir, sub.getCommandSpec());
            }
        }
    }

    /** Mends what picocli's AsciiDoc gets wrong for these commands' help (see the patterns above). */
    static String tidy(String adoc) {
        // groff cannot draw "…" where man renders in ASCII (the C locale): three dots read the same everywhere.
        String text = EQUALS_INSIDE_LABEL.matcher(adoc.replace("\u2026", "...")).replaceAll("*=_");
        text = EXIT_CODE_CONTINUATION.matcher(text).replaceAll(" ");
        return HARD_BROKEN_PARAGRAPH.matcher(text).replaceAll(paragraph -> Matcher.quoteReplacement(footerParagraph(paragraph.group(1))));
    }

    /**
     * Examples (indented from the first line) stay a literal paragraph, as picocli wrote them. Prose is filled by man to
     * its width. A heading with indented lines under it (--where's operators, the output formats' table) becomes a
     * literal block: its columns stay aligned, and AsciiDoc does not turn {@code <=} into an arrow. (A one-space indent
     * is a continuation, as in the API line: prose.)
     */
    private static String footerParagraph(String paragraph) {
        List<String> lines = paragraph.lines().toList();
        if (lines.get(0).startsWith(" ")) {
            return "[%hardbreaks]\n" + paragraph;
        }
        if (lines.stream().anyMatch(line -> line.startsWith("  "))) {
            return "....\n" + String.join("\n", lines) + "\n....\n";
        }
        // A paragraph that starts with '[' ([API: Scan]) would be read as a block attribute list, and vanish.
        return paragraph.startsWith("[") ? "{empty}" + paragraph : paragraph;
    }
}
