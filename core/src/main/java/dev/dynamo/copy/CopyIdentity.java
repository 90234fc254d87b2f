package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.env.Environment;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.query.SortKeyCondition;
import dev.dynamo.query.WhereCondition;
import dev.dynamo.table.AttributeValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What makes two copies the same copy, as a checkpoint records it: a resume is refused unless the
 * copy being run has the identity of the one that saved the checkpoint. Holds names, regions,
 * endpoints and tables only; never a credential.
 *
 * @param source    the table read and its environment
 * @param target    the table written and its environment
 * @param mode      replace or merge
 * @param selection the query selecting the items, as options ({@code --pk customer#42 --sk 2024-}), or null for the
 *                  whole table
 * @param segments  scan segments of the source (1 for a selection): a segment's resume key is only valid for a
 *                  scan with the same number of segments
 * @param pageSize  the Scan/Query page Limit
 */
@API(status = STABLE, since = "0.1")
public record CopyIdentity(Side source, Side target, CopyMode mode, String selection, int segments, int pageSize) {

    /**
     * One side of a copy.
     *
     * @param table       the table name
     * @param environment the environment as the user named it ({@code prod}, {@code http://localhost:8000})
     * @param profile     the AWS profile it resolved to, or null
     * @param region      the region it resolved to
     * @param endpoint    the endpoint it resolved to (without any user info, query or fragment), or null for AWS
     */
    record Side(String table, String environment, String profile, String region, String endpoint) {
        Side {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(region, "region");
        }

        static Side of(String table, Environment environment) {
            return new Side(table, nameWithoutSecrets(environment.name()), environment.profile(), environment.region().id(),
                    environment.endpoint() == null ? null : withoutSecrets(environment.endpoint()));
        }
    }

    public CopyIdentity {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        if (segments < 1 || pageSize < 1) {
            throw new IllegalArgumentException("segments and page size must be positive: " + segments + ", " + pageSize);
        }
    }

    /**
     * The identity of the copy of {@code plan} from {@code source} to {@code target}.
     *
     * @param segments the scan segments the copy uses (1 for a selection)
     */
    public static CopyIdentity of(Environment source, Environment target, CopyPlan plan, int segments) {
        return new CopyIdentity(Side.of(plan.sourceTable(), source), Side.of(plan.targetTable(), target), plan.mode(),
                plan.selection() == null ? null : selectionText(plan.selection()), segments, plan.pageSize());
    }

    /**
     * How {@code now} differs from this identity (the checkpoint's), one phrase per difference, e.g.
     * {@code mode: replace in the checkpoint, merge now}; empty when they are the same copy.
     */
    List<String> differences(CopyIdentity now) {
        List<String> differences = new ArrayList<>();
        compareSide("source", source, now.source, differences);
        compareSide("target", target, now.target, differences);
        compare("mode", lower(mode), lower(now.mode), differences);
        compare("selection", selection == null ? "the whole table" : selection,
                now.selection == null ? "the whole table" : now.selection, differences);
        compare("segments", String.valueOf(segments), String.valueOf(now.segments), differences);
        compare("page size", String.valueOf(pageSize), String.valueOf(now.pageSize), differences);
        return differences;
    }

    private static void compareSide(String side, Side then, Side now, List<String> differences) {
        compare(side + " table", then.table(), now.table(), differences);
        compare(side + " environment", then.environment(), now.environment(), differences);
        compare(side + " profile", then.profile(), now.profile(), differences);
        compare(side + " region", then.region(), now.region(), differences);
        compare(side + " endpoint", then.endpoint(), now.endpoint(), differences);
    }

    private static void compare(String what, String then, String now, List<String> differences) {
        if (!Objects.equals(then, now)) {
            differences.add(what + ": " + shown(then) + " in the checkpoint, " + shown(now) + " now");
        }
    }

    private static String shown(String value) {
        return value == null ? "none" : value;
    }

    private static String lower(CopyMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** The selection as the options that make it, e.g. {@code -i byStatus --pk open --sk-ge 2024}. */
    static String selectionText(QuerySpec selection) {
        StringBuilder text = new StringBuilder();
        if (selection.index() != null) {
            text.append("-i ").append(selection.index()).append(' ');
        }
        text.append("--pk ").append(selection.partitionValue());
        SortKeyCondition sortKey = selection.sortKey();
        if (sortKey != null) {
            text.append(' ').append(sortKey.operator().option()).append(' ').append(sortKey.value());
            if (sortKey.upper() != null) {
                text.append(' ').append(sortKey.upper());
            }
        }
        for (WhereCondition where : selection.where()) {
            text.append(" --where ").append(where.path()).append(' ').append(where.operator());
            if (where.value() != null) {
                text.append(' ').append(valueText(where.value()));
            }
        }
        return text.toString();
    }

    /** A filter value as typed: numbers as their digits, strings quoted (so {@code "100"} and {@code 100} differ). */
    private static String valueText(AttributeValue value) {
        return switch (value.type()) {
            case N -> value.n();
            case S -> '"' + value.s().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            case BOOL -> String.valueOf(value.bool());
            case NUL -> "null";
            default -> AttributeValues.canonical(value);
        };
    }

    /** An environment named by a URL loses its user-info part too; a profile name stays as it is. */
    private static String nameWithoutSecrets(String name) {
        try {
            URI uri = new URI(name);
            return uri.getRawUserInfo() == null || uri.getHost() == null ? name : withoutSecrets(uri);
        } catch (URISyntaxException e) {
            return name;
        }
    }

    /** The endpoint as scheme://host:port/path: a user-info part (user:password@) never reaches a file. */
    private static String withoutSecrets(URI endpoint) {
        try {
            return new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), endpoint.getPath(), null, null)
                    .toString();
        } catch (URISyntaxException e) {
            return endpoint.getScheme() + "://" + endpoint.getHost();
        }
    }
}
