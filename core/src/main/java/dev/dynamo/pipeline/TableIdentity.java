package dev.dynamo.pipeline;

import dev.dynamo.env.Environment;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Tells whether two described tables are, or write through to, the same data, so a copy never
 * empties its own source. Errs towards "the same": a false alarm only asks the user to check.
 */
final class TableIdentity {
    /** The account in every ARN of local engines (dynalite, DynamoDB Local): ARNs of two local servers look alike. */
    private static final String LOCAL_ACCOUNT = "000000000000";

    private TableIdentity() {
    }

    /**
     * Why the two are the same table, or null when they are not. The same name at one endpoint is
     * named first (the clearest reason to read), then one table id (DynamoDB, dynalite; DynamoDB
     * Local gives none), then one ARN on AWS.
     */
    public static String sameTable(Environment sourceEnvironment, TableDescription source, Environment targetEnvironment,
            TableDescription target) {
        boolean sameName = source.tableName().equals(target.tableName());
        boolean local = sourceEnvironment.endpoint() != null || targetEnvironment.endpoint() != null;
        if (sameName && local && sameEndpoint(sourceEnvironment.endpoint(), targetEnvironment.endpoint())) {
            return "both are table '" + source.tableName() + "' at " + sourceEnvironment.endpoint();
        }
        if (source.tableId() != null && source.tableId().equals(target.tableId())) {
            return "both have table id " + source.tableId();
        }
        if (!sameName) {
            return null;
        }
        String sourceArn = source.tableArn();
        if (sourceArn != null && sourceArn.equals(target.tableArn()) && !sourceArn.contains(":" + LOCAL_ACCOUNT + ":")) {
            return "both are " + sourceArn;
        }
        if (!local && sourceEnvironment.region().equals(targetEnvironment.region())
                && Objects.equals(sourceEnvironment.profile(), targetEnvironment.profile())) {
            return "both are table '" + source.tableName() + "' of the same profile and region";
        }
        if (source.hasReplicas()) {
            String targetRegion = regionOf(target.tableArn(), targetEnvironment.region().id());
            for (ReplicaDescription replica : source.replicas()) {
                if (targetRegion.equals(replica.regionName())) {
                    return "the target is the " + targetRegion + " replica of global table '" + source.tableName()
                            + "', so writing to it writes to the source";
                }
            }
        }
        return null;
    }

    /** Same scheme, port and host, where every loopback address counts as one host. Both null: false (AWS, decided by ARN). */
    static boolean sameEndpoint(URI a, URI b) {
        if (a == null || b == null) {
            return false;
        }
        return scheme(a).equals(scheme(b)) && port(a) == port(b) && host(a).equals(host(b));
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme(uri)) ? 443 : 80;
    }

    private static String host(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return "loopback";
        }
        if (host.matches("[0-9.]+") || host.startsWith("[")) {
            try {
                if (InetAddress.getByName(host).isLoopbackAddress()) {
                    return "loopback";
                }
            } catch (UnknownHostException e) {
                return host;
            }
        }
        return host;
    }

    private static String regionOf(String arn, String fallback) {
        // arn:aws:dynamodb:us-east-1:123456789012:table/Orders
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : fallback;
    }
}
