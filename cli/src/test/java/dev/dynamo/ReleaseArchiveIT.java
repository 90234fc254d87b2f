package dev.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The release archives (target/dynamo-VERSION.tar.gz and .zip) as a person installs them: unpacked into an empty
 * folder (the tar.gz by the real tar), then run through bin/dynamo from another folder, and through a chain of symlinks
 * on PATH, against a local engine.
 */
@EngineTest
class ReleaseArchiveIT {
    private static final String VERSION = System.getProperty("dynamo.version", "0.1.0-SNAPSHOT");
    private static final Path RELEASE_DIR = Path.of(System.getProperty("dynamo.release.dir", "target"));
    private static final String TOP = "dynamo-" + VERSION;
    private static final String EXECUTABLE = "rwxr-xr-x";
    private static final String READABLE = "rw-r--r--";

    @TempDir
    static Path work;

    /** The tar.gz, unpacked by tar; the zip, unpacked here with the modes it records (as unzip would). */
    private static Path fromTar;
    private static Path fromZip;

    /** What one run did. */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        fromTar = untar(Files.createDirectory(work.resolve("tar")));
        fromZip = unzip(RELEASE_DIR.resolve(TOP + ".zip"), Files.createDirectory(work.resolve("zip"))).resolve(TOP);
    }

    /** Unpacks the tar.gz into DIR with the real tar; gives DIR/dynamo-VERSION. */
    private static Path untar(Path dir) throws IOException, InterruptedException {
        Run tar = run(dir, Map.of(), "tar", "-xzf", RELEASE_DIR.resolve(TOP + ".tar.gz").toAbsolutePath().toString());
        assertThat(tar.exitCode()).as(tar.toString()).isZero();
        return dir.resolve(TOP);
    }

    @Test
    void holdsLauncherJarManPagesLicenseAndReadme_underOneTopFolder() throws IOException {
        Set<String> files = files(fromTar);
        assertThat(files).contains("bin/dynamo", "lib/dynamo.jar", "LICENSE", "README.txt",
                "share/man/man1/dynamo.1", "share/man/man1/dynamo-copy.1", "share/man/man1/dynamo-query.1", "share/man/man1/dynamo-help.1");
        assertThat(files).allMatch(file -> file.startsWith("bin/dynamo") || file.startsWith("lib/dynamo.jar") || file.equals("LICENSE")
                || file.equals("README.txt") || file.matches("share/man/man1/dynamo(-[a-z]+)*\\.1") || file.startsWith("completion/"));
        try (Stream<Path> top = Files.list(fromTar.getParent())) {
            assertThat(top.map(path -> path.getFileName().toString())).containsExactly(TOP);
        }
        // ONE launcher: the archive's bin/dynamo is the checkout's ./dynamo.
        assertThat(fromTar.resolve("bin/dynamo")).hasSameBinaryContentAs(Path.of(System.getProperty("dynamo.root.dir", "..")).resolve("dynamo"));
        assertThat(Files.readString(fromTar.resolve("README.txt"))).contains("dynamo " + VERSION, "PATH", "MANPATH", "completion/",
                "DYNAMO_JAVA_OPTS").doesNotContain("${");
    }

    @Test
    void givesTheLauncherMode0755_andTheOtherFiles0644_inBothFormats() throws IOException {
        for (Path root : List.of(fromTar, fromZip)) {
            for (String file : files(root)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(file))))
                        .as("mode of %s from %s", file, root).isEqualTo(file.equals("bin/dynamo") ? EXECUTABLE : READABLE);
            }
        }
        Map<String, Integer> zipModes = unixModes(RELEASE_DIR.resolve(TOP + ".zip"));
        assertThat(zipModes.get(TOP + "/bin/dynamo")).as("mode of bin/dynamo in the zip").isEqualTo(0755);
        assertThat(zipModes.get(TOP + "/lib/dynamo.jar")).as("mode of lib/dynamo.jar in the zip").isEqualTo(0644);
    }

    @Test
    void zipHoldsTheSameFilesAsTheTarGz() throws IOException {
        assertThat(files(fromZip)).isEqualTo(files(fromTar));
        for (String file : files(fromTar)) {
            assertThat(fromZip.resolve(file)).as(file).hasSameBinaryContentAs(fromTar.resolve(file));
        }
    }

    @Test
    void completionScripts_areWhatTheJarPrints() throws Exception {
        Path completion = fromTar.resolve("completion");
        for (Map.Entry<String, String> script : Map.of("bash", "dynamo.bash", "zsh", "_dynamo", "fish", "dynamo.fish").entrySet()) {
            Run printed = run(work, Map.of(), fromTar.resolve("bin/dynamo").toString(), "completion", script.getKey());
            assertThat(printed.exitCode()).as(printed.toString()).isZero();
            assertThat(completion.resolve(script.getValue())).as(script.getValue()).hasContent(printed.stdout());
        }
    }

    @Test
    void printsItsVersion_fromAnotherFolder_andThroughASymlinkChainOnPath() throws Exception {
        Path elsewhere = Files.createTempDirectory(work, "cwd");
        for (Path root : List.of(fromTar, fromZip)) {
            Run direct = run(elsewhere, Map.of(), root.resolve("bin/dynamo").toString(), "--version");
            assertThat(direct.exitCode()).as(direct.toString()).isZero();
            assertThat(direct.stdout()).as(direct.toString()).startsWith("dynamo " + VERSION + " (git ");
            assertThat(direct.stderr()).as(direct.toString()).isEmpty();

            Path path = onPath(root);
            Run viaPath = shell(elsewhere, path, "dynamo --version");
            assertThat(viaPath.exitCode()).as(viaPath.toString()).isZero();
            assertThat(viaPath.stdout()).as(viaPath.toString()).startsWith("dynamo " + VERSION + " (git ");
        }
    }

    @Test
    void queriesAndCopies_throughTheSymlinkOnPath(LocalDynamoDb db) throws Exception {
        String table = TestTables.table("dist").partitionKey("id", ScalarAttributeType.N).create(db.client());
        List<Map<String, AttributeValue>> items = List.of(
                Map.of("id", AttributeValue.fromN("7"), "amount", AttributeValue.fromN("0.1000000000000000000000000000000000001")),
                Map.of("id", AttributeValue.fromN("8"), "tags", AttributeValue.fromSs(List.of("a", "b"))));
        TestTables.put(db.client(), table, items);
        // An installation of its own: running it writes the class-data archive into lib/, which the layout tests must not see.
        Path installed = untar(Files.createTempDirectory(work, "installed"));
        Path path = onPath(installed);
        Path elsewhere = Files.createTempDirectory(work, "cwd");

        Run query = shell(elsewhere, path, "dynamo query -t " + table + " --pk 7 -e " + db.env() + " -o jsonl");
        assertThat(query.exitCode()).as(query.toString()).isZero();
        assertThat(query.stdout()).isEqualTo("{\"id\":7,\"amount\":0.1000000000000000000000000000000000001}\n");
        assertThat(query.stderr()).as(query.toString()).isEmpty();
        // The first run that talks to DynamoDB records the class-data archive next to the jar (lib is writable here).
        try (Stream<Path> lib = Files.list(installed.resolve("lib"))) {
            assertThat(lib.map(file -> file.getFileName().toString())).as("lib/ after a query").anyMatch(name -> name.matches("dynamo-\\d+\\.jsa"));
        }

        String copy = table + "-copy";
        Run copied = shell(elsewhere, path, "dynamo copy -t " + table + " --source " + db.env() + " --target " + db.env()
                + " --target-table " + copy + " --create-table --yes --no-progress");
        assertThat(copied.exitCode()).as(copied.toString()).isZero();
        assertThat(CopyFixtures.itemsByKey(db.client(), copy, List.of("id"))).isEqualTo(CopyFixtures.byKey(items, List.of("id")));
    }

    @Test
    void exportsDynamoProgram_asTheWordThatRunsItAgain() throws Exception {
        // A stand-in for dynamo.jar (DYNAMO_JAR) that prints what the launcher exported.
        Map<String, String> printer = Map.of("DYNAMO_JAR", programPrinterJar().toString());
        Path bin = fromTar.resolve("bin");
        Path elsewhere = Files.createTempDirectory(work, "cwd");

        assertThat(shell(elsewhere, onPath(fromTar), "dynamo", printer).stdout()).as("through PATH").isEqualTo("dynamo\n");
        assertThat(shell(elsewhere, bin, bin.resolve("dynamo") + "", printer).stdout())
                .as("by its full path, which PATH also finds").isEqualTo("dynamo\n");
        assertThat(run(elsewhere, printer, bin.resolve("dynamo").toString()).stdout()).as("by its full path, not on PATH")
                .isEqualTo(bin.resolve("dynamo") + "\n");
        assertThat(run(fromTar, printer, "./bin/dynamo").stdout()).as("relative to the current folder").isEqualTo("./bin/dynamo\n");
        // Another dynamo first on PATH: typing "dynamo" would not run this one, so its path is the word.
        Path other = Files.createDirectories(work.resolve("other-bin"));
        Path impostor = Files.writeString(other.resolve("dynamo"), "#!/bin/sh\necho other\n");
        Files.setPosixFilePermissions(impostor, PosixFilePermissions.fromString(EXECUTABLE));
        assertThat(shell(elsewhere, other, bin.resolve("dynamo") + "", printer).stdout()).as("shadowed on PATH")
                .isEqualTo(bin.resolve("dynamo") + "\n");
    }

    /** Prints DYNAMO_PROGRAM: the main of the stand-in jar. */
    public static final class PrintProgram {
        public static void main(String[] args) {
            System.out.println(System.getenv("DYNAMO_PROGRAM"));
        }
    }

    private static Path programPrinterJar() throws IOException {
        Path jar = work.resolve("print-program.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintProgram.class.getName());
        String entry = PrintProgram.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = ReleaseArchiveIT.class.getClassLoader().getResourceAsStream(entry)) {
            assertThat(in).as(entry).isNotNull();
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** A folder for PATH holding "dynamo", a symlink to a symlink (relative, in another folder) to ROOT/bin/dynamo. */
    private static Path onPath(Path root) throws IOException {
        Path links = Files.createTempDirectory(work, "links");
        Path first = Files.createSymbolicLink(links.resolve("dynamo-link"), root.resolve("bin/dynamo"));
        Path path = Files.createDirectory(links.resolve("bin"));
        Files.createSymbolicLink(path.resolve("dynamo"), path.relativize(first));
        return path;
    }

    /** COMMAND as a shell runs it, with PATH_DIR first on PATH (so that the shell, not Java, looks "dynamo" up). */
    private static Run shell(Path cwd, Path pathDir, String command) throws IOException, InterruptedException {
        return shell(cwd, pathDir, command, Map.of());
    }

    private static Run shell(Path cwd, Path pathDir, String command, Map<String, String> env) throws IOException, InterruptedException {
        Map<String, String> withPath = new TreeMap<>(env);
        withPath.put("PATH", pathDir + ":" + javaPath());
        return run(cwd, withPath, "/bin/sh", "-c", command);
    }

    /** This JVM's bin first, then the rest of PATH: the launcher runs "java". */
    private static String javaPath() {
        return Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH");
    }

    private static Run run(Path cwd, Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("DYNAMO_"));
        builder.environment().put("HOME", Files.createDirectories(work.resolve("home")).toString());
        builder.environment().put("PATH", javaPath());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished within 60 s", String.join(" ", command)).isTrue();
        return new Run(List.of(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The regular files under ROOT, as relative paths. */
    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(file -> root.relativize(file).toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** Unpacks ZIP into DIR and gives each file the Unix mode the zip records for it, as unzip does. */
    private static Path unzip(Path zip, Path dir) throws IOException {
        Map<String, Integer> modes = unixModes(zip);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                Path target = dir.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(dir)).as("%s stays inside the folder", entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    in.transferTo(out);
                }
                Integer mode = modes.get(entry.getName());
                assertThat(mode).as("Unix mode of %s in the zip", entry.getName()).isNotNull();
                Files.setPosixFilePermissions(target, permissions(mode));
            }
        }
        return dir;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = new TreeSet<>();
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, highest bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    /**
     * The Unix permission bits of each entry, from the zip's central directory (the high 16 bits of an entry's
     * external attributes, where the entry was made on Unix): java.util.zip does not read them.
     */
    static Map<String, Integer> unixModes(Path zip) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            int tail = (int) Math.min(channel.size(), 22 + 65_535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(end, channel.size() - tail);
            int eocd = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == 0x06054b50) {
                    eocd = i;
                    break;
                }
            }
            assertThat(eocd).as("end of central directory in %s", zip).isNotNegative();
            int entries = Short.toUnsignedInt(end.getShort(eocd + 10));
            long size = Integer.toUnsignedLong(end.getInt(eocd + 12));
            long offset = Integer.toUnsignedLong(end.getInt(eocd + 16));
            ByteBuffer directory = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(directory, offset);
            Map<String, Integer> modes = new TreeMap<>();
            int at = 0;
            for (int n = 0; n < entries; n++) {
                assertThat(directory.getInt(at)).as("central directory entry %s", n).isEqualTo(0x02014b50);
                int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
                int external = directory.getInt(at + 38);
                byte[] name = new byte[nameLength];
                directory.get(at + 46, name);
                modes.put(new String(name, StandardCharsets.UTF_8), (external >>> 16) & 07777);
                at += 46 + nameLength + extraLength + commentLength;
            }
            return modes;
        }
    }
}
