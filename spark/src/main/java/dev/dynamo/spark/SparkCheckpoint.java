package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.copy.CheckpointLock;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.S3Settings;
import dev.dynamo.store.StoredObject;
import dev.dynamo.store.StoredOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark job's checkpoint: a local directory or an {@code s3://bucket/prefix} that the driver writes and a resumed job
 * reads, through core's {@link ExportStore} (local files private, 0600 in 0700 directories, never through a link;
 * every file written to a temporary name and moved into place, every S3 object written whole). One format for every
 * job, whose work is divided into numbered tasks (a copy's tasks are its scan segments):
 * <pre>
 * DIR/job.json                    {"format":1,"kind":"copy","identity":{...},"tasks":64}
 * DIR/done/task-000012.json       {"task":12,"result":{...}}
 * DIR/positions.json              {"positions":{"7":{...},"30":{...}}}
 * DIR/lock.json                   (S3 only: {@link S3CheckpointLock}; a local directory's lock is DIR.lock beside it)
 * </pre>
 * {@code job.json} says which job it is: its kind, an identity (environments' locations, tables, mode: no
 * credentials) and its task count, which a resume keeps. A task's file appears once it has finished, with what the task
 * reported (written by the driver when the task reports, {@link DriverService}); a resume runs only the tasks without
 * one. {@code positions.json} holds where unfinished tasks stood, as they reported it (for a copy: the segment's
 * scan position up to which every item is written), saved by the lock's heartbeat every
 * {@link #POSITIONS_SAVE_MILLIS} when they moved; a resume starts each unfinished task from there.
 *
 * <p>A job holds the checkpoint's {@link #lock()} from before {@link #begin}/{@link #resume} to its end, so that a
 * second job on the same checkpoint is refused. {@link #finish} and {@link #position} are thread-safe; the first result
 * of a task stands.
 */
final class SparkCheckpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SparkCheckpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int FORMAT = 1;
    static final String JOB = "job.json";
    static final String DONE = "done/";
    static final String POSITIONS = "positions.json";
    /** How often moved positions are saved: a resume after a kill re-reads at most this much of each running task. */
    static final long POSITIONS_SAVE_MILLIS = 5_000;

    private final ExportStore store;
    /** The local directory, or null on S3. */
    private final Path directory;
    /** The unfinished tasks' latest positions, and whether they moved since they were saved. Guarded by this. */
    private final SortedMap<Integer, JsonNode> positions = new TreeMap<>();
    private boolean positionsMoved;
    private volatile Lock lock;

    /** A local directory. */
    SparkCheckpoint(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        this.store = ExportStore.open(this.directory.toString(), null, S3Settings.none());
    }

    /**
     * {@code s3://bucket/prefix} or a local directory.
     *
     * @param env gives the default credentials and region for S3 (its DynamoDB endpoint is not used)
     * @param s3  the {@code --s3-*} options
     * @throws DynamoException (usage) for a malformed location
     */
    SparkCheckpoint(String location, Environment env, S3Settings s3, EnvironmentResolver resolver) {
        if (isS3(location)) {
            this.directory = null;
            this.store = ExportStore.open(location, env, s3, resolver);
        } else {
            this.directory = Path.of(location).toAbsolutePath().normalize();
            this.store = ExportStore.open(this.directory.toString(), env, s3, resolver);
        }
    }

    static boolean isS3(String location) {
        return location.toLowerCase(Locale.ROOT).startsWith("s3:");
    }

    /** Where it is, for messages: the absolute directory or {@code s3://bucket/prefix}. */
    String describe() {
        return store.describe();
    }

    /**
     * The local directory.
     *
     * @throws IllegalStateException for a checkpoint on S3 (use {@link #describe()} in messages)
     */
    Path directory() {
        if (directory == null) {
            throw new IllegalStateException(describe() + " is on S3, not a local directory");
        }
        return directory;
    }

    boolean exists() {
        return store.stat(JOB).isPresent();
    }

    /**
     * Locks the checkpoint for this job until the lock is closed; while held, moved positions are saved every
     * {@link #POSITIONS_SAVE_MILLIS} (and at its close), and an S3 lock is renewed.
     *
     * @throws DynamoException (usage) when another job holds it
     */
    Lock lock() {
        Lock taken = directory != null ? new Lock(localLock(), null) : new Lock(null, S3CheckpointLock.acquire(store));
        lock = taken;
        return taken;
    }

    private CheckpointLock localLock() {
        CheckpointLock held;
        try {
            held = CheckpointLock.tryAcquire(directory);
        } catch (IOException e) {
            throw DynamoException.usage("cannot write the checkpoint's lock file " + CheckpointLock.fileOf(directory) + " ("
                    + e.getMessage() + "); choose another directory with --checkpoint DIR; nothing was written");
        }
        if (held == null) {
            String holder = CheckpointLock.holder(directory);
            // dynamo: the checkpoint /home/me/ck is in use by another job (pid 4242, since 2026-12-02T03:00:05Z): ...
            throw DynamoException.usage("the checkpoint " + directory + " is in use by another job" + (holder == null ? "" : " ("
                    + holder + ")") + ": two at once would undo each other's work; wait for it to end, or stop it and "
                    + "continue it with --resume; nothing was written");
        }
        return held;
    }

    /** Starts a new job here: removes an earlier job's files, then writes job.json. */
    void begin(String kind, Map<String, String> identity, int tasks) {
        delete();
        ObjectNode job = JSON.createObjectNode().put("format", FORMAT).put("kind", kind);
        ObjectNode id = job.putObject("identity");
        new TreeMap<>(identity).forEach(id::put);
        job.put("tasks", tasks);
        write(JOB, job);
    }

    /** The kind of job recorded here ("copy", "export", ...), if there is one. */
    java.util.Optional<String> kind() {
        if (!exists()) {
            return java.util.Optional.empty();
        }
        String kind = read(JOB).path("kind").asText("");
        return kind.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(kind);
    }

    /**
     * The task count of the job recorded here, after checking that it is the same job.
     *
     * @throws DynamoException (usage) when there is no checkpoint, or one of another job
     */
    int resume(String kind, Map<String, String> identity) {
        if (!exists()) {
            throw DynamoException.usage("no checkpoint to resume in " + describe() + " (a finished job removes its own); "
                    + "run without --resume to start the job");
        }
        JsonNode job = read(JOB);
        if (job.path("format").asInt() != FORMAT || !kind.equals(job.path("kind").asText())) {
            throw DynamoException.usage("the checkpoint in " + describe() + " is not one of a " + kind + " job of this version");
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(identity).entrySet()) {
            String recorded = job.path("identity").path(entry.getKey()).asText(null);
            if (!entry.getValue().equals(recorded)) {
                throw DynamoException.usage("the checkpoint in " + describe() + " is of another " + kind + ": its " + entry.getKey()
                        + " is '" + recorded + "', not '" + entry.getValue() + "'; give the options it was started with");
            }
        }
        synchronized (this) {
            positions.clear();
            positions.putAll(positions());
            positions.keySet().removeAll(finished());
            positionsMoved = false;
        }
        return job.path("tasks").asInt();
    }

    /** The finished tasks. */
    SortedSet<Integer> finished() {
        return new TreeSet<>(results().keySet());
    }

    /** The finished tasks' results, as their tasks reported them (an empty object for a task recorded without one). */
    SortedMap<Integer, JsonNode> results() {
        SortedMap<Integer, JsonNode> done = new TreeMap<>();
        for (StoredObject object : store.list(DONE)) {
            if (!object.name().matches("done/task-\\d+\\.json")) {
                continue;
            }
            JsonNode task = read(object.name());
            if (!task.path("task").canConvertToInt() || !task.path("result").isObject()) {
                throw DynamoException.usage("the checkpoint file " + store.locationOf(object.name()) + " is damaged (no task number "
                        + "or result); run without --resume to start the job anew");
            }
            done.put(task.path("task").asInt(), task.path("result"));
        }
        return done;
    }

    /**
     * Records a finished task and its result, unless it is recorded already.
     *
     * @return false when the task was recorded before (another attempt's result stands)
     * @throws DynamoException (failure) when another job took this job's lock over (its driver stalled past the expiry)
     */
    synchronized boolean finish(int task, JsonNode result) {
        checkLockHeld();
        String name = taskName(task);
        if (store.stat(name).isPresent()) {
            return false;
        }
        ObjectNode done = JSON.createObjectNode().put("task", task);
        done.set("result", result == null ? JSON.createObjectNode() : result);
        write(name, done);
        if (positions.remove(task) != null) {
            positionsMoved = true;
        }
        return true;
    }

    /** Remembers where an unfinished task stands (saved with the others every {@link #POSITIONS_SAVE_MILLIS}). */
    synchronized void position(int task, JsonNode position) {
        positions.put(task, position);
        positionsMoved = true;
    }

    /** The positions as saved: unfinished tasks' last saved positions (a finished task's may linger; ignore it). */
    SortedMap<Integer, JsonNode> positions() {
        SortedMap<Integer, JsonNode> saved = new TreeMap<>();
        if (store.stat(POSITIONS).isEmpty()) {
            return saved;
        }
        JsonNode file = read(POSITIONS);
        for (Iterator<Map.Entry<String, JsonNode>> it = file.path("positions").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                saved.put(Integer.parseInt(entry.getKey()), entry.getValue());
            } catch (NumberFormatException e) {
                throw DynamoException.usage("the checkpoint file " + store.locationOf(POSITIONS) + " is damaged (task '"
                        + entry.getKey() + "'); run without --resume to start the job anew");
            }
        }
        return saved;
    }

    /** Saves the positions if they moved since the last save. */
    synchronized void savePositions() {
        if (!positionsMoved) {
            return;
        }
        checkLockHeld();
        ObjectNode file = JSON.createObjectNode();
        ObjectNode all = file.putObject("positions");
        positions.forEach((task, position) -> all.set(Integer.toString(task), position));
        write(POSITIONS, file);
        positionsMoved = false;
    }

    /** Removes the checkpoint (the job finished), but not its lock. */
    synchronized void delete() {
        positions.clear();
        positionsMoved = false;
        for (StoredObject object : store.list("")) {
            if (!object.name().equals(S3CheckpointLock.NAME)) {
                store.delete(object.name());
            }
        }
        if (directory != null) {
            removeEmpty(directory.resolve("done"));
            removeEmpty(directory);
        }
    }

    /** Releases the S3 client (a local checkpoint holds nothing). */
    @Override
    public void close() {
        store.close();
    }

    private static void removeEmpty(Path folder) {
        try {
            if (Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(folder);
            }
        } catch (DirectoryNotEmptyException e) {
            // someone's file, or a temporary of a killed write: the folder stays, nothing in it is read again
        } catch (IOException e) {
            LOG.warn("cannot remove the checkpoint folder {}: {}", folder, e.toString());
        }
    }

    private void checkLockHeld() {
        Lock held = lock;
        if (held != null && held.s3 != null && held.s3.lost()) {
            throw DynamoException.failure("the checkpoint " + describe() + " was taken over by another job while this one "
                    + "stalled (no heartbeat for " + S3CheckpointLock.EXPIRY_MILLIS / 1000 + " s); this job stops", null);
        }
    }

    static String taskName(int task) {
        return String.format(Locale.ROOT, "done/task-%06d.json", task);
    }

    private JsonNode read(String name) {
        try (InputStream in = store.open(name)) {
            JsonNode node = JSON.readTree(in);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw DynamoException.usage("cannot read the checkpoint file " + store.locationOf(name) + ": " + e.getMessage()
                    + "; run without --resume to start the job anew");
        }
    }

    private void write(String name, JsonNode content) {
        try (StoredOutput out = store.create(name)) {
            out.stream().write(JSON.writeValueAsBytes(content));
            out.commit();
        } catch (IOException e) {
            throw DynamoException.failure("cannot write the checkpoint file " + store.locationOf(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A job's hold on the checkpoint: the lock (local: the operating system's, on DIR.lock; S3: {@link S3CheckpointLock}),
     * and a daemon thread that saves moved positions and renews an S3 lock. Closing it saves the positions a last time
     * (unless the checkpoint was deleted) and releases the lock.
     */
    final class Lock implements AutoCloseable {
        private final CheckpointLock local;
        private final S3CheckpointLock s3;
        private final Thread heartbeat;
        private volatile boolean closed;

        private Lock(CheckpointLock local, S3CheckpointLock s3) {
            this.local = local;
            this.s3 = s3;
            this.heartbeat = new Thread(this::beat, "dynamo-checkpoint-heartbeat");
            heartbeat.setDaemon(true);
            heartbeat.start();
        }

        private void beat() {
            long lastRenewal = System.nanoTime();
            while (!closed) {
                try {
                    Thread.sleep(POSITIONS_SAVE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (s3 != null && System.nanoTime() - lastRenewal >= S3CheckpointLock.RENEW_MILLIS * 1_000_000) {
                        lastRenewal = System.nanoTime();
                        s3.renew();
                    }
                    if (!closed) {
                        savePositions();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("cannot save the checkpoint {} ({}); trying again in {} s", describe(), e.toString(),
                            POSITIONS_SAVE_MILLIS / 1000);
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            heartbeat.interrupt();
            try {
                heartbeat.join(60_000);
                savePositions();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("cannot save the checkpoint's positions in {}: {}", describe(), e.toString());
            } finally {
                lock = null;
                if (local != null) {
                    local.close();
                }
                if (s3 != null) {
                    try {
                        s3.close();
                    } catch (RuntimeException e) {
                        // the job's outcome stands; the lock expires on its own
                        LOG.warn("cannot release the lock of {} ({}); it expires {} s after its last heartbeat", describe(),
                                e.toString(), S3CheckpointLock.EXPIRY_MILLIS / 1000);
                    }
                }
            }
        }
    }
}
