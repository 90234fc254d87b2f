package dev.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.ApiStatus;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library boundary of {@code dynamo-core}. Packages hold one concept each, so some engine internals
 * must be public for a neighbouring package (copy and verify share the pipeline); every public type
 * therefore says what it is with apiguardian's {@link API}, as JUnit 5 does: {@code STABLE} for the few
 * types a script needs (README, "Using dynamo from Java"), {@code INTERNAL} for the rest. This test holds
 * that (1) every public type is marked, (2) the stable set is the reviewed list in
 * {@code src/test/resources/api/stable-types.txt} (update with {@code -Dupdate.snapshots=true}), and
 * (3) the stable API is closed: no public member of a stable type takes or returns an internal type.
 * A generated builder ({@code CopyStatsBuilder}) has the status of its record.
 */
class CoreApiTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/api/stable-types.txt");
    private static final Map<String, Class<?>> TOP_LEVEL = new TreeMap<>();

    @BeforeAll
    static void loadCoreClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(DynamoException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                String name = classes.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
                names.add(name.substring(0, name.length() - ".class".length()));
            });
        }
        for (String name : names) {
            if (!name.contains("$") && !name.endsWith("package-info")) {
                Class<?> type = Class.forName(name, false, CoreApiTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    TOP_LEVEL.put(name, type);
                }
            }
        }
        assertThat(TOP_LEVEL).as("core's public types").hasSizeGreaterThan(30);
    }

    @Test
    void everyPublicType_saysWhetherItIsApi() {
        List<String> unmarked = TOP_LEVEL.values().stream().filter(type -> status(type) == null).map(Class::getName).toList();
        assertThat(unmarked).as("public types of core without @API(status = STABLE | INTERNAL)").isEmpty();
    }

    @Test
    void theStableTypes_areTheReviewedList() throws IOException {
        String actual = String.join("\n", TOP_LEVEL.values().stream().filter(type -> status(type) == API.Status.STABLE)
                .map(Class::getName).toList()) + "\n";
        if (Boolean.getBoolean("update.snapshots")) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.writeString(SNAPSHOT, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("the stable API; review the change, then update %s", SNAPSHOT)
                .isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
    }

    @Test
    void theStableApi_neverExposesAnInternalType() {
        TreeSet<String> leaks = new TreeSet<>();
        for (Class<?> type : TOP_LEVEL.values()) {
            if (status(type) == API.Status.STABLE) {
                collectLeaks(type, leaks);
            }
        }
        assertThat(leaks).as("public members of stable types that use internal types").isEmpty();
    }

    private static void collectLeaks(Class<?> type, TreeSet<String> leaks) {
        if (status(type) == API.Status.INTERNAL) {
            return;
        }
        Class<?> superclass = type.getSuperclass();
        if (superclass != null && Modifier.isPublic(superclass.getModifiers())) {
            check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
        }
        for (Type implemented : type.getGenericInterfaces()) {
            check(type.getName() + " implements", implemented, leaks);
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic()) {
                check(type.getName() + "." + method.getName(), method.getGenericReturnType(), leaks);
                checkParameters(type.getName() + "." + method.getName(), method, leaks);
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers())) {
                checkParameters(type.getName() + ".<init>", constructor, leaks);
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers())) {
                check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (visible(nested.getModifiers())) {
                collectLeaks(nested, leaks);
            }
        }
    }

    private static void checkParameters(String where, Executable executable, TreeSet<String> leaks) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(where, parameter, leaks);
        }
    }

    private static void check(String where, Type used, TreeSet<String> leaks) {
        if (used instanceof Class<?> type) {
            Class<?> element = type;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith("dev.dynamo.") && status(element) != API.Status.STABLE) {
                leaks.add(where + " uses " + element.getName() + " (" + status(element) + ")");
            }
        } else if (used instanceof ParameterizedType parameterized) {
            check(where, parameterized.getRawType(), leaks);
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(where, argument, leaks);
            }
        } else if (used instanceof GenericArrayType array) {
            check(where, array.getGenericComponentType(), leaks);
        } else if (used instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                check(where, bound, leaks);
            }
            for (Type bound : wildcard.getLowerBounds()) {
                check(where, bound, leaks);
            }
        } else if (used instanceof TypeVariable<?> variable) {
            for (Type bound : variable.getBounds()) {
                if (bound != Object.class && !(bound instanceof ParameterizedType p && p.getActualTypeArguments()[0] == variable)) {
                    check(where, bound, leaks);
                }
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static API.Status status(Class<?> type) {
        return ApiStatus.of(type);
    }
}
