package dev.dynamo.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code dynamo --version}: the version from the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {
            "dynamo " + (version == null ? "(development build)" : version),
            "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
        };
    }
}
