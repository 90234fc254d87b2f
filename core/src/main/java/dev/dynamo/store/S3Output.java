package dev.dynamo.store;

import dev.dynamo.DynamoException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One object being written to S3. Bytes gather in memory up to one part; an object no larger than a
 * part is one PutObject, a larger one a multipart upload of {@value #PART_SIZE_BYTES}-byte parts, which
 * S3 shows under the name only once CompleteMultipartUpload succeeds. Every PUT carries Content-MD5 (S3
 * refuses bytes damaged on the way), and the ETag S3 answers is checked against the MD5 of the bytes
 * sent where S3 promises that equality: not with SSE-KMS or SSE-C, whose ETags are not MD5s.
 *
 * <p>Used by one thread. Memory: one part's buffer at most, grown as needed.
 */
final class S3Output implements StoredOutput {
    private static final Logger LOG = LoggerFactory.getLogger(S3Output.class);

    static final int PART_SIZE_BYTES = 8 * 1024 * 1024;
    /** S3's limit on the parts of one upload: 10,000 parts of 8 MiB is 78.125 GiB. */
    static final int MAX_PARTS = 10_000;
    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private enum State { OPEN, COMMITTED, ABORTED }

    private final S3Store store;
    private final S3Client client;
    private final String bucket;
    private final String name;
    private final String key;
    private final String location;
    private final PartStream stream = new PartStream();
    private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
    private int count;
    private long size;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    /** The binary MD5s of the parts, one after another: their MD5 is the upload's ETag. */
    private final ByteArrayOutputStream partDigests = new ByteArrayOutputStream();
    private boolean etagsAreMd5 = true;
    private State state = State.OPEN;

    S3Output(S3Store store, String name, String key) {
        this.store = store;
        this.client = store.client();
        this.bucket = store.where().bucket();
        this.name = name;
        this.key = key;
        this.location = store.locationOf(name);
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    private void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (count == PART_SIZE_BYTES) {
                // Sent only when more bytes come, so that an object of exactly one part is still one PutObject.
                uploadPart();
            }
            int room = PART_SIZE_BYTES - count;
            int n = Math.min(room, length);
            if (count + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(PART_SIZE_BYTES, Math.max(buffer.length * 2, count + n)));
            }
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            size += n;
            offset += n;
            length -= n;
        }
    }

    private RequestBody body() {
        byte[] bytes = buffer;
        int length = count;
        // A provider, not a copy: the SDK opens a new stream over the same bytes for each attempt.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, CONTENT_TYPE);
    }

    private void uploadPart() {
        int partNumber = parts.size() + 1;
        if (partNumber > MAX_PARTS) {
            fail(DynamoException.failure(location + " is larger than " + MAX_PARTS + " parts of " + PART_SIZE_BYTES / (1024 * 1024)
                    + " MiB (about 78 GiB), the most one S3 upload of this tool holds; export into more, smaller files", null));
        }
        byte[] md5 = md5(buffer, count);
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(request -> request.bucket(bucket).key(key).contentType(CONTENT_TYPE))
                        .uploadId();
                if (uploadId == null || uploadId.isEmpty()) {
                    fail(DynamoException.failure("S3 gave no upload id for " + location + " (CreateMultipartUpload)", null));
                }
            }
            UploadPartResponse response = client.uploadPart(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                    .partNumber(partNumber).contentLength((long) count).contentMD5(Base64.getEncoder().encodeToString(md5)), body());
            String etag = S3Store.unquote(response.eTag());
            boolean md5Etag = plainEncryption(response.serverSideEncryption(), response.sseCustomerAlgorithm());
            etagsAreMd5 &= md5Etag;
            checkEtag(etag, md5, md5Etag, "part " + partNumber + " of ");
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
            partDigests.writeBytes(md5);
            count = 0;
        } catch (SdkException e) {
            fail(store.error("writing", location, e));
        }
    }

    @Override
    public StoredObject commit() {
        if (state != State.OPEN) {
            throw new IllegalStateException(location + " was already " + state.name().toLowerCase(Locale.ROOT));
        }
        String etag;
        try {
            if (uploadId == null) {
                etag = putObject();
            } else {
                uploadPart();
                etag = completeUpload();
            }
        } catch (SdkException e) {
            throw fail(store.error("writing", location, e));
        }
        state = State.COMMITTED;
        buffer = null;
        return new StoredObject(name, size, etag);
    }

    private String putObject() {
        byte[] md5 = md5(buffer, count);
        PutObjectResponse response = client.putObject(request -> request.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .contentLength((long) count).contentMD5(Base64.getEncoder().encodeToString(md5)), body());
        String etag = S3Store.unquote(response.eTag());
        checkEtag(etag, md5, plainEncryption(response.serverSideEncryption(), response.sseCustomerAlgorithm()), "");
        return etag;
    }

    private String completeUpload() {
        CompleteMultipartUploadResponse response = client.completeMultipartUpload(request -> request.bucket(bucket).key(key)
                .uploadId(uploadId).multipartUpload(upload -> upload.parts(parts)));
        String etag = S3Store.unquote(response.eTag());
        if (etag == null || etag.isEmpty()) {
            throw fail(DynamoException.failure("S3 gave no ETag for " + location + " (CompleteMultipartUpload)", null));
        }
        if (etagsAreMd5 && plainEncryption(response.serverSideEncryption(), null)) {
            // S3's ETag of an upload: the MD5 of the parts' binary MD5s, then "-" and the number of parts.
            String expected = HexFormat.of().formatHex(md5(partDigests.toByteArray(), partDigests.size())) + "-" + parts.size();
            if (!expected.equalsIgnoreCase(etag)) {
                // The upload is complete at this point: the object is there but not what was sent; it is deleted.
                deleteQuietly();
                throw fail(DynamoException.failure("S3 stored " + location + " with ETag " + etag + ", not " + expected
                        + " (the MD5 of the " + parts.size() + " parts sent): the object was damaged and has been deleted", null));
            }
        }
        uploadId = null;
        return etag;
    }

    private void checkEtag(String etag, byte[] md5, boolean md5Etag, String what) {
        if (etag == null || etag.isEmpty()) {
            fail(DynamoException.failure("S3 gave no ETag for " + what + location, null));
        }
        String expected = HexFormat.of().formatHex(md5);
        if (md5Etag && !expected.equalsIgnoreCase(etag)) {
            if (uploadId == null) {
                // A single PUT: the object is there but not what was sent.
                deleteQuietly();
            }
            fail(DynamoException.failure("S3 stored " + what + location + " with ETag " + etag + ", not the MD5 " + expected
                    + " of the bytes sent: it was damaged on the way" + (uploadId == null ? " and has been deleted" : ""), null));
        }
    }

    /** SSE-S3 (AES256) and no encryption keep ETag = MD5; SSE-KMS, DSSE-KMS and SSE-C do not. */
    private static boolean plainEncryption(ServerSideEncryption encryption, String customerAlgorithm) {
        return customerAlgorithm == null && (encryption == null || encryption == ServerSideEncryption.AES256);
    }

    /** Aborts and throws {@code error}; declared to return it so callers can write {@code throw fail(...)}. */
    private DynamoException fail(DynamoException error) {
        abort();
        throw error;
    }

    private void deleteQuietly() {
        try {
            client.deleteObject(request -> request.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.warn("could not delete the damaged object {}: {}", location, e.getMessage());
        }
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        buffer = null;
        if (uploadId != null) {
            String id = uploadId;
            uploadId = null;
            try {
                client.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(id));
            } catch (SdkException e) {
                // Its parts are invisible but billed until a lifecycle rule or `aws s3api abort-multipart-upload` removes them.
                LOG.warn("could not abort the multipart upload {} of {}: {}", id, location, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        abort();
    }

    private static byte[] md5(byte[] bytes, int length) {
        MessageDigest md5 = LocalStore.md5();
        md5.update(bytes, 0, length);
        return md5.digest();
    }

    /** Writes into the part buffer; closing it only ends the writing. */
    private final class PartStream extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (closed || state != State.OPEN) {
                throw new IllegalStateException("writing " + location + " after it was "
                        + (closed ? "closed" : state.name().toLowerCase(Locale.ROOT)));
            }
            Objects.checkFromIndexSize(offset, length, bytes.length);
            S3Output.this.write(bytes, offset, length);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
