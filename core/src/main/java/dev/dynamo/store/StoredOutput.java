package dev.dynamo.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.Closeable;
import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * An object being written. Its bytes become visible under its name only at {@link #commit()};
 * {@link #abort()}, or {@link #close()} without a commit, discards them, so a reader never sees half an
 * object. Used by one thread at a time.
 *
 * <p>Closing {@link #stream()} (as a {@code GZIPOutputStream} around it does when it is closed) only
 * ends the writing; the object still has to be committed.
 */
@API(status = INTERNAL, since = "0.1")
public interface StoredOutput extends Closeable {

    /** Where the bytes go; the same stream on every call. I/O errors surface as a {@code DynamoException} naming the object. */
    OutputStream stream();

    /**
     * Finishes the object. Local: flush, fsync, rename from a hidden temporary name in the same
     * directory to the name, fsync the directory. S3: PutObject, or the last UploadPart and
     * CompleteMultipartUpload. Either way the store's answer is checked (the ETag against the MD5 of
     * the bytes written, where the store promises that) before it is believed.
     *
     * @return the object as stored, with its ETag
     * @throws dev.dynamo.DynamoException when it could not be stored; the output is then aborted
     */
    StoredObject commit();

    /** Discards what was written (for S3, aborts the multipart upload). Safe to call more than once. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
