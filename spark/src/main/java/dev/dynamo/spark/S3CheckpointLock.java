package dev.dynamo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.DynamoException;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of a checkpoint on S3: an object {@code PREFIX/lock.json} naming its owner and the time of its last
 * heartbeat, which the owner renews every {@link #RENEW_MILLIS}. A lock whose heartbeat is older than
 * {@link #EXPIRY_MILLIS} is a killed driver's, and the next job takes it over; so a killed driver blocks a resume for
 * at most a minute, and the refusal says how long.
 * <pre>
 * {"owner":"dynamo-spark pid 4242 on host-1 (3f2a9c1b)","since":"2026-12-02T03:00:05Z","heartbeat":"2026-12-02T03:04:35Z"}
 * </pre>
 *
 * <p>Taking it: a PutObject with {@code If-None-Match: *}, which S3 performs only when no lock object exists (two
 * drivers starting at once: one gets 412 and is refused). Renewing it: a PutObject with {@code If-Match} of the last
 * ETag, which fails once another job took the lock over (this job then knows it lost it). S3-compatible stores that
 * ignore these conditions (S3Proxy 2.6 does) write anyway; then the object is read back after it is written, and
 * only its owner goes on: two drivers started within the same fraction of a second could both pass there, which S3
 * itself rules out. Clocks: expiry compares the owner's clock with the reader's, so a skew of a few seconds only
 * moves the expiry by that much.
 *
 * <p>Thread-safe: the job's thread takes and releases it, the checkpoint's heartbeat thread renews it.
 */
final class S3CheckpointLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3CheckpointLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NAME = "lock.json";
    /** How often the owner renews its lock. */
    static final long RENEW_MILLIS = 15_000;
    /** A lock not renewed for this long is a dead driver's. */
    static final long EXPIRY_MILLIS = 60_000;

    private final ExportStore store;
    private final String owner;
    private final Instant since;
    private String etag;
    private boolean lost;
    private boolean released;

    private S3CheckpointLock(ExportStore store, String owner, Instant since, String etag) {
        this.store = store;
        this.owner = owner;
        this.since = since;
        this.etag = etag;
    }

    /**
     * Takes the lock of the checkpoint in {@code store}, taking over an expired one.
     *
     * @throws DynamoException (usage) when another job holds it, saying who and until when
     */
    static S3CheckpointLock acquire(ExportStore store) {
        return acquire(store, EXPIRY_MILLIS);
    }

    /** As {@link #acquire(ExportStore)}, with another expiry (tests). */
    static S3CheckpointLock acquire(ExportStore store, long expiryMillis) {
        String owner = "dynamo-spark pid " + ProcessHandle.current().pid() + " on " + hostName() + " ("
                + UUID.randomUUID().toString().substring(0, 8) + ")";
        Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Optional<Held> held = read(store);
        if (held.isPresent()) {
            long age = Duration.between(held.get().heartbeat(), Instant.now()).toMillis();
            if (age < expiryMillis) {
                throw inUse(store, held.get(), age, expiryMillis);
            }
            LOG.warn("taking over the lock of {}: {} last renewed it {} s ago", store.describe(), held.get().owner(), age / 1000);
            store.delete(NAME);
        }
        Optional<StoredObject> written = store.createIfAbsent(NAME, content(owner, since));
        Optional<Held> now = read(store);
        if (written.isEmpty() || now.isEmpty() || !now.get().owner().equals(owner)) {
            // Another job took it between our look and our write (S3 answered 412), or wrote over ours (a store
            // that ignores the condition): the lock is theirs.
            throw inUse(store, now.orElse(new Held("another job", Instant.now())), 0, expiryMillis);
        }
        return new S3CheckpointLock(store, owner, since, written.get().etag());
    }

    /** Renews the heartbeat; false once the lock was lost (another job took it over after an expiry). */
    synchronized boolean renew() {
        if (lost || released) {
            return !lost;
        }
        Optional<StoredObject> written = store.replaceIfUnchanged(NAME, content(owner, since), etag);
        Optional<Held> now = read(store);
        if (written.isEmpty() || now.isEmpty() || !now.get().owner().equals(owner)) {
            lost = true;
            LOG.error("the lock of the checkpoint {} was taken by {}: this job's heartbeats stopped for over {} s",
                    store.describe(), now.map(Held::owner).orElse("nobody"), EXPIRY_MILLIS / 1000);
            return false;
        }
        etag = written.get().etag();
        return true;
    }

    /** True once another job took the lock over. */
    synchronized boolean lost() {
        return lost;
    }

    /** Deletes the lock object, if it is still this job's. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        if (!lost && read(store).map(held -> held.owner().equals(owner)).orElse(false)) {
            store.delete(NAME);
        }
    }

    /** A lock object as read. */
    record Held(String owner, Instant heartbeat) {
    }

    static Optional<Held> read(ExportStore store) {
        if (store.stat(NAME).isEmpty()) {
            return Optional.empty();
        }
        JsonNode lock;
        try (InputStream in = store.open(NAME)) {
            lock = JSON.readTree(in);
        } catch (IOException | DynamoException e) {
            return Optional.empty(); // deleted meanwhile: released
        }
        try {
            return Optional.of(new Held(lock.path("owner").asText("another job"), Instant.parse(lock.path("heartbeat").asText())));
        } catch (DateTimeParseException e) {
            throw DynamoException.usage("the lock " + store.locationOf(NAME) + " is damaged (no heartbeat time); if no job runs "
                    + "with this checkpoint, delete it");
        }
    }

    private static byte[] content(String owner, Instant since) {
        ObjectNode lock = JSON.createObjectNode().put("owner", owner).put("since", since.toString())
                .put("heartbeat", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        try {
            return JSON.writeValueAsBytes(lock);
        } catch (IOException e) {
            throw new IllegalStateException("a lock always writes as JSON", e);
        }
    }

    private static DynamoException inUse(ExportStore store, Held held, long ageMillis, long expiryMillis) {
        // dynamo: the checkpoint s3://b/c is in use by another job (dynamo-spark pid 42 on h (3f2a9c1b), last heartbeat 4 s
        // ago) ...
        return DynamoException.usage(String.format(Locale.ROOT, "the checkpoint %s is in use by another job (%s, last heartbeat "
                + "%d s ago): two at once would undo each other's work; wait for it to end, or, if its driver was killed, "
                + "run again in %d s, when its lock (%s) expires; nothing was written", store.describe(), held.owner(),
                ageMillis / 1000, Math.max(1, (expiryMillis - ageMillis + 999) / 1000), store.locationOf(NAME)));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unknown host";
        }
    }
}
