package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A Spark job's checkpoint: a directory the driver writes and a resumed job reads (a local path now; s3:// next).
 * One format for every job, whose work is divided into numbered tasks (a copy's tasks are its scan segments):
 * <pre>
 * DIR/job.json                    {"format":1,"kind":"copy","identity":{...},"tasks":64}
 * DIR/done/task-000012.json       {"task":12,"result":{...}}
 * </pre>
 * {@code job.json} says which job it is: its kind, an identity (environments' locations, tables, mode: no
 * credentials) and its task count, which a resume keeps. A task's file appears once it has finished, with what the task reported
 * (written by the driver when the task reports, {@link DriverService}); a resume runs only the tasks without one. Every file is written to
 * a temporary name and moved into place, so a killed driver leaves whole files only. {@link #finish} is
 * thread-safe; the first result of a task stands.
 */
final class SparkCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int FORMAT = 1;

    private final Path directory;

    SparkCheckpoint(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    boolean exists() {
        return Files.isRegularFile(directory.resolve("job.json"));
    }

    /** Starts a new job here: removes an earlier job's files, then writes job.json. */
    void begin(String kind, Map<String, String> identity, int tasks) {
        delete();
        ObjectNode job = JSON.createObjectNode().put("format", FORMAT).put("kind", kind);
        ObjectNode id = job.putObject("identity");
        new TreeMap<>(identity).forEach(id::put);
        job.put("tasks", tasks);
        try {
            Files.createDirectories(directory.resolve("done"));
        } catch (IOException e) {
            throw DynamoException.usage("cannot write the checkpoint directory " + directory + ": " + e.getMessage());
        }
        write(directory.resolve("job.json"), job);
    }

    /**
     * The task count of the job recorded here, after checking that it is the same job.
     *
     * @throws DynamoException (usage) when there is no checkpoint, or one of another job
     */
    int resume(String kind, Map<String, String> identity) {
        if (!exists()) {
            throw DynamoException.usage("no checkpoint to resume in " + directory + " (a finished job removes its own); "
                    + "run without --resume to start the job");
        }
        JsonNode job = read(directory.resolve("job.json"));
        if (job.path("format").asInt() != FORMAT || !kind.equals(job.path("kind").asText())) {
            throw DynamoException.usage("the checkpoint in " + directory + " is not one of a " + kind + " job of this version");
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(identity).entrySet()) {
            String recorded = job.path("identity").path(entry.getKey()).asText(null);
            if (!entry.getValue().equals(recorded)) {
                throw DynamoException.usage("the checkpoint in " + directory + " is of another " + kind + ": its " + entry.getKey()
                        + " is '" + recorded + "', not '" + entry.getValue() + "'; give the options it was started with");
            }
        }
        return job.path("tasks").asInt();
    }

    /** The finished tasks. */
    java.util.SortedSet<Integer> finished() {
        return new java.util.TreeSet<>(results().keySet());
    }

    /** The finished tasks' results, as their tasks reported them (an empty object for a task recorded without one). */
    java.util.SortedMap<Integer, JsonNode> results() {
        java.util.SortedMap<Integer, JsonNode> done = new TreeMap<>();
        Path folder = directory.resolve("done");
        if (!Files.isDirectory(folder)) {
            return done;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> file.getFileName().toString().matches("task-\\d+\\.json")).forEach(file -> {
                JsonNode task = read(file);
                if (!task.path("task").canConvertToInt() || !task.path("result").isObject()) {
                    throw DynamoException.usage("the checkpoint file " + file + " is damaged (no task number or result); "
                            + "run without --resume to start the job anew");
                }
                done.put(task.path("task").asInt(), task.path("result"));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoint " + folder, e);
        }
        return done;
    }

    /**
     * Records a finished task and its result, unless it is recorded already.
     *
     * @return false when the task was recorded before (another attempt's result stands)
     */
    synchronized boolean finish(int task, JsonNode result) {
        Path file = directory.resolve("done").resolve(String.format(java.util.Locale.ROOT, "task-%06d.json", task));
        if (Files.exists(file)) {
            return false;
        }
        ObjectNode done = JSON.createObjectNode().put("task", task);
        done.set("result", result == null ? JSON.createObjectNode() : result);
        write(file, done);
        return true;
    }

    /** Removes the checkpoint (the job finished). */
    void delete() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkpoint " + directory, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw DynamoException.usage("cannot read the checkpoint file " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path file, JsonNode content) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.write(partial, JSON.writeValueAsBytes(content));
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }
}
