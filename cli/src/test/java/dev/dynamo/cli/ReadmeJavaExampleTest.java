package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.ApiStatus;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using dynamo from Java" example compiles against the library as it is: the library's
 * public API is what that example uses, so a change that breaks it fails here. (CopyLibraryTest runs
 * the same calls against the local engine.)
 */
class ReadmeJavaExampleTest {
    private static final Pattern SECTION = Pattern.compile("## Using dynamo from Java\\n(.*?)\\n## ", Pattern.DOTALL);
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path classes;

    @Test
    void theExampleCompiles_againstTheLibrary() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("dynamo.root.dir", ".")).resolve("README.md"));
        Matcher section = SECTION.matcher(readme);
        assertThat(section.find()).as("the README has its 'Using dynamo from Java' section").isTrue();
        Matcher block = JAVA_BLOCK.matcher(section.group(1));
        assertThat(block.find()).as("the section has a java block").isTrue();
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : block.group(1).split("\n")) {
            if (line.startsWith("import ")) {
                imports.add(line);
            } else {
                body.append("        ").append(line).append('\n');
            }
        }
        assertThat(imports).isNotEmpty();
        String source = String.join("\n", imports) + "\n\nclass ReadmeExample {\n    void run() throws Exception {\n" + body
                + "    }\n}\n";

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            JavaFileObject example = new SimpleJavaFileObject(URI.create("string:///ReadmeExample.java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            boolean compiled = compiler.getTask(output, files, diagnostics, List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString(), "-proc:none"), null, List.of(example)).call();
            assertThat(compiled).as("the README's example compiles:%n%s%n%s", source, diagnostics.getDiagnostics()).isTrue();
        }
        // ...and uses only core's stable API: every dynamo type its class file names is marked STABLE.
        String bytes = new String(Files.readAllBytes(classes.resolve("ReadmeExample.class")), StandardCharsets.ISO_8859_1);
        Matcher used = Pattern.compile("dev/dynamo/[A-Za-z0-9_/$]+").matcher(bytes);
        Set<String> notStable = new TreeSet<>();
        int types = 0;
        while (used.find()) {
            Class<?> type = Class.forName(used.group().replace('/', '.'), false, getClass().getClassLoader());
            types++;
            if (ApiStatus.of(type) != API.Status.STABLE) {
                notStable.add(type.getName() + " (" + ApiStatus.of(type) + ")");
            }
        }
        assertThat(types).as("dynamo types the example uses").isGreaterThan(5);
        assertThat(notStable).as("types the README's example uses that are not core's stable API").isEmpty();
    }
}
