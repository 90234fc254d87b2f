package dev.dynamo.cli;

import dev.dynamo.env.DynamoClientFactory;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.table.TableCatalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code dynamo __complete environments|profiles|tables}: what the completion scripts cannot know in advance, one
 * name per line. Hidden. It never fails: whatever goes wrong (an unreadable file, an unknown profile, no network, the
 * time limit), it prints what it has, or nothing, and exits 0 with nothing on stderr, so a TAB never prints an error
 * into the user's prompt.
 *
 * <pre>
 * dynamo __complete tables --option=-t -- copy -t Or --source dev --target http://localhost:8000
 * </pre>
 * lists the tables of {@code dev}: the words after {@code --} are the line before the word being completed, and
 * {@code --option} the option whose value it is ({@code --target-table} in copy and verify: the target's tables).
 */
@Command(name = "__complete", hidden = true)
final class CompleteCommand implements Callable<Integer> {
    /** All the time listing tables may take, from the credentials to the last page; then nothing is proposed. */
    static final long TABLES_DEADLINE_MILLIS = 2_000;

    @ParentCommand
    DynamoCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WHAT")
    String what;

    @Option(names = "--option", paramLabel = "OPTION")
    String option;

    @Parameters(index = "1..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EnvironmentResolver resolver = root.context().resolver();
        List<String> names = switch (what) {
            case "environments" -> environments(resolver);
            case "profiles" -> profiles(resolver);
            case "tables" -> tables(resolver);
            default -> List.of();
        };
        names.forEach(out::println);
        out.flush();
        return 0;
    }

    /** The environments file's names, then the AWS profiles': an ENV is either. */
    private static List<String> environments(EnvironmentResolver resolver) {
        Set<String> names = new LinkedHashSet<>();
        try {
            names.addAll(resolver.environmentsFile().names());
        } catch (RuntimeException e) {
            // A malformed file: the profiles are still worth proposing.
        }
        names.addAll(profiles(resolver));
        return List.copyOf(names);
    }

    private static List<String> profiles(EnvironmentResolver resolver) {
        try {
            return List.copyOf(resolver.profileNames());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private List<String> tables(EnvironmentResolver resolver) {
        EnvironmentSpec spec = environmentOnTheLine();
        if (spec == null) {
            return List.of();
        }
        Environment environment;
        DynamoDbClient client;
        try {
            // Local work only (the files, the client): credentials are resolved by the first call, within the deadline.
            environment = resolver.resolve(spec);
            client = DynamoClientFactory.create(environment, 1, 0, Duration.ofMillis(TABLES_DEADLINE_MILLIS));
        } catch (RuntimeException e) {
            return List.of();
        }
        // A daemon thread: on the deadline it is abandoned (main exits the JVM), never waited for.
        CompletableFuture<List<String>> listing = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try (client) {
                listing.complete(new TableCatalog(client, environment).tableNames());
            } catch (RuntimeException | Error e) {
                listing.completeExceptionally(e);
            }
        }, "complete-tables");
        worker.setDaemon(true);
        worker.start();
        try {
            return listing.get(TABLES_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException e) {
            worker.interrupt();
            return List.of();
        }
    }

    /**
     * The environment of the table option being completed, as the words give it: {@code -e} and its overrides, or in
     * copy and verify {@code --source} and its overrides ({@code --target} and its for {@code --target-table}); null
     * when the line names none of them.
     */
    private EnvironmentSpec environmentOnTheLine() {
        CommandLine command = null;
        int start = 0;
        for (; start < words.size() && command == null; start++) {
            command = root.spec.subcommands().get(words.get(start));
        }
        if (command == null || option == null) {
            return null;
        }
        CommandSpec commandSpec = command.getCommandSpec();
        OptionSpec completed = commandSpec.findOption(option);
        if (completed == null) {
            return null;
        }
        String side = commandSpec.findOption("--source") == null ? ""
                : completed.longestName().equals("--target-table") ? "--target" : "--source";
        Map<String, String> values = new HashMap<>();
        for (int i = start; i < words.size(); i++) {
            String word = words.get(i);
            String value = null;
            int equals = word.indexOf('=');
            if (word.startsWith("--") && equals > 0) {
                value = word.substring(equals + 1);
                word = word.substring(0, equals);
            }
            OptionSpec found = word.startsWith("-") ? commandSpec.findOption(word) : null;
            if (found == null || found.arity().max() == 0) {
                continue;
            }
            if (value == null && i + 1 < words.size()) {
                value = words.get(++i);
            }
            if (value != null) {
                values.put(found.longestName(), value);
            }
        }
        String overrides = side.isEmpty() ? "--" : side + "-";
        String env = values.get(side.isEmpty() ? "--env" : side);
        String profile = values.get(overrides + "profile");
        String region = values.get(overrides + "region");
        String endpoint = values.get(overrides + "endpoint-url");
        if (env == null && profile == null && endpoint == null) {
            return null;
        }
        return new EnvironmentSpec(env, profile, region, endpoint);
    }
}
