package dev.dynamo.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.apiguardian.api.API;

/** What core's {@link API} marks say of a type: its own status, its enclosing type's, or (a generated builder) its record's. */
public final class ApiStatus {
    private ApiStatus() {
    }

    /** The status of {@code type}; null when nothing marks it. */
    public static API.Status of(Class<?> type) {
        API api = type.getAnnotation(API.class);
        if (api != null) {
            return api.status();
        }
        if (type.getEnclosingClass() != null) {
            return of(type.getEnclosingClass());
        }
        Class<?> record = builtRecord(type);
        return record == null ? null : of(record);
    }

    /** The record a generated builder builds ({@code JobCountersSnapshotBuilder} builds {@code JobCounters.Snapshot}), or null. */
    private static Class<?> builtRecord(Class<?> type) {
        if (!type.getSimpleName().endsWith("Builder")) {
            return null;
        }
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals("build") && method.getParameterCount() == 0 && method.getReturnType().isRecord()
                    && !Modifier.isStatic(method.getModifiers())) {
                Class<?> built = method.getReturnType();
                String expected = built.getName().substring(built.getPackageName().length() + 1).replace("$", "") + "Builder";
                return expected.equals(type.getSimpleName()) ? built : null;
            }
        }
        return null;
    }
}
