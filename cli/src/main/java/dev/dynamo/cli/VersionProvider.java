package dev.dynamo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code dynamo --version}: {@code dynamo 0.1.0-SNAPSHOT (git af1d165)}, from version.properties, which the build
 * writes (cli/pom.xml: the project's version and {@code git rev-parse --short HEAD}, or {@code unknown} without git).
 */
public final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            versionLine(buildProperties()),
            "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
        };
    }

    /** {@code dynamo 0.1.0 (git af1d165)}; a build that wrote no version.properties says so. */
    static String versionLine(Properties build) {
        String version = build.getProperty("version");
        if (version == null || version.isBlank()) {
            version = VersionProvider.class.getPackage().getImplementationVersion();
        }
        String commit = build.getProperty("commit");
        return "dynamo " + (version == null ? "(development build)" : version.trim())
                + " (git " + (commit == null || commit.isBlank() ? "unknown" : commit.trim()) + ")";
    }

    /** What the build wrote, or nothing when it was built without Maven (an IDE). */
    static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from dynamo's jar: " + e.getMessage(), e);
        }
        return properties;
    }
}
