package dev.dynamo.table;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where two items differ, as attribute paths in DynamoDB's document-path syntax: {@code status}
 * (a top-level attribute), {@code address.city} (inside a map), {@code lines[2]} (a list element).
 * Values are compared as DynamoDB does ({@link AttributeValues#same}): numbers by value, sets
 * regardless of order. A set that differs is named as a whole; so is a list whose length differs.
 */
@API(status = INTERNAL, since = "0.1")
public final class ItemDifference {
    private ItemDifference() {
    }

    /** The paths where {@code a} and {@code b} differ, in name order; empty when they are equal. */
    public static List<String> paths(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        List<String> paths = new ArrayList<>();
        compareMaps("", a, b, paths);
        return paths;
    }

    private static void compareMaps(String prefix, Map<String, AttributeValue> a, Map<String, AttributeValue> b, List<String> paths) {
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String name : names) {
            compare(prefix.isEmpty() ? name : prefix + "." + name, a.get(name), b.get(name), paths);
        }
    }

    private static void compare(String path, AttributeValue a, AttributeValue b, List<String> paths) {
        if (a == null || b == null) {
            paths.add(path);
        } else if (a.type() == AttributeValue.Type.M && b.type() == AttributeValue.Type.M) {
            compareMaps(path, a.m(), b.m(), paths);
        } else if (a.type() == AttributeValue.Type.L && b.type() == AttributeValue.Type.L && a.l().size() == b.l().size()) {
            for (int i = 0; i < a.l().size(); i++) {
                compare(path + "[" + i + "]", a.l().get(i), b.l().get(i), paths);
            }
        } else if (!AttributeValues.same(a, b)) {
            paths.add(path);
        }
    }
}
