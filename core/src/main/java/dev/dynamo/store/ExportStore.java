package dev.dynamo.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import java.io.Closeable;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A local directory or an S3 prefix holding export files. Names are '/'-separated and relative to the
 * root; a name with an empty, {@code .} or {@code ..} part is refused, so a name read from a manifest
 * can never reach outside the root.
 *
 * <p>Thread-safe: several workers read and write different objects at once. Closing the store
 * closes its S3 client; objects being written must be committed or aborted first.
 */
@API(status = INTERNAL, since = "0.1")
public interface ExportStore extends Closeable {

    /**
     * Opens {@code s3://bucket/prefix} (the prefix may be empty or end with '/'; {@code s3://b/exports} and
     * {@code s3://b/exports/} are the same place) or a local directory. Nothing is created or called yet.
     *
     * @param env gives the default credentials, profile and region for S3; its DynamoDB endpoint is not used
     * @param s3  what differs for S3 ({@link S3Settings#none()} for nothing)
     * @throws DynamoException (usage) for a malformed location or an unknown {@code --s3-profile}
     */
    static ExportStore open(String location, Environment env, S3Settings s3) {
        return open(location, env, s3, EnvironmentResolver.create());
    }

    /** As {@link #open(String, Environment, S3Settings)}, resolving {@code --s3-profile} with {@code resolver}. */
    static ExportStore open(String location, Environment env, S3Settings s3, EnvironmentResolver resolver) {
        if (location == null || location.isBlank()) {
            throw DynamoException.usage("no export location given: name a directory or s3://bucket/prefix");
        }
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://")) {
            S3Location where = S3Location.parse(location);
            return new S3Store(where, S3ClientFactory.create(where, env, s3, resolver), S3Store.MAX_KEYS_PER_PAGE);
        }
        if (lower.startsWith("s3:") || lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw DynamoException.usage("unsupported export location '" + location
                    + "': give s3://bucket/prefix or a local directory");
        }
        try {
            return new LocalStore(Path.of(location));
        } catch (InvalidPathException e) {
            throw DynamoException.usage("invalid export directory '" + location + "': " + e.getReason());
        }
    }

    /** {@code s3://bucket/prefix} or the absolute local path, for messages. */
    String describe();

    /** Where one name is, as a user would write it ({@code s3://bucket/prefix/name} or {@code /abs/path/name}). */
    String locationOf(String name);

    /**
     * Every object whose name starts with {@code prefix} ({@code ""} for all), sorted by name (by UTF-8
     * bytes, as S3 sorts). Local: regular files only, with a null ETag (not computed); a symbolic link
     * below the root is refused; temporaries of unfinished writes are not listed. S3: each page of the
     * listing is checked (a truncated page without a continuation token, a repeated key or one without a
     * size is a failure, never silently accepted); zero-byte "folder" markers (keys ending in '/') are left out.
     */
    List<StoredObject> list(String prefix);

    /** The object, or empty. Local: the ETag is the MD5 of the file, which reads it whole. */
    Optional<StoredObject> stat(String name);

    /**
     * Reads an object, streaming (never all in memory). The caller closes it.
     *
     * @throws DynamoException (usage) when it does not exist, naming its location
     */
    InputStream open(String name);

    /** Starts writing a new object; it replaces any of that name once committed. */
    StoredOutput create(String name);

    /** Deletes an object if it exists. */
    void delete(String name);

    /**
     * Writes a small object whole only if none of that name exists: S3's conditional write (PutObject with
     * {@code If-None-Match: *}), for a lock object. A store that ignores the condition (S3Proxy 2.6, some other
     * S3-compatible stores) writes it anyway, so a caller reads the object back to see whose it is.
     *
     * @return the object written, or empty when one of that name existed (HTTP 412, or 409 for a conflicting write)
     * @throws UnsupportedOperationException for a local directory, which locks with the operating system instead
     */
    default Optional<StoredObject> createIfAbsent(String name, byte[] bytes) {
        throw new UnsupportedOperationException(describe() + " has no conditional writes: lock a local directory with its lock file");
    }

    /**
     * Replaces a small object only if it is still the one with {@code etag}: S3's conditional write (PutObject
     * with {@code If-Match}), for a lock object's heartbeat. Stores that ignore the condition replace it anyway.
     *
     * @return the object written, or empty when the object changed or is gone (HTTP 412, 409 or 404)
     * @throws UnsupportedOperationException for a local directory
     */
    default Optional<StoredObject> replaceIfUnchanged(String name, byte[] bytes, String etag) {
        throw new UnsupportedOperationException(describe() + " has no conditional writes: lock a local directory with its lock file");
    }

    /** Releases the S3 client; a local store holds nothing. */
    @Override
    void close();
}
