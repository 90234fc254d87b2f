package dev.dynamo.store;

import dev.dynamo.DynamoException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A prefix of an S3 bucket. Objects are written whole or not at all (see {@link S3Output}); listings
 * are believed only when their pages hold together (see {@link ListingCheck}).
 *
 * <p>Thread-safe: the {@link S3Client} is, and the store holds nothing else that changes but a flag.
 */
final class S3Store implements ExportStore {
    /** ListObjectsV2's own maximum. */
    static final int MAX_KEYS_PER_PAGE = 1000;

    private final S3Location where;
    private final S3Client client;
    private final int maxKeysPerPage;
    /** Where requests go, for messages. */
    private final String endpoint;
    /** Set once the bucket is known to exist, so that a missing object costs one call, not two. */
    private volatile boolean bucketSeen;

    /**
     * @param maxKeysPerPage the page size of listings; tests ask for small pages to see many of them
     */
    S3Store(S3Location where, S3Client client, int maxKeysPerPage) {
        this.where = where;
        this.client = client;
        this.maxKeysPerPage = maxKeysPerPage;
        var configuration = client.serviceClientConfiguration();
        this.endpoint = configuration.endpointOverride().map(URI::toString)
                .orElse("AWS (" + (configuration.region() == null ? "default region" : configuration.region().id()) + ")");
    }

    /** One line about a failed call (see {@link S3Errors}). */
    DynamoException error(String action, String location, SdkException error) {
        return S3Errors.translate(where, endpoint, action, location, error);
    }

    S3Location where() {
        return where;
    }

    S3Client client() {
        return client;
    }

    @Override
    public String describe() {
        return where.describe();
    }

    @Override
    public String locationOf(String name) {
        return where.locationOf(name);
    }

    private String key(String name) {
        return where.key(ObjectNames.check(name, describe()));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        String keyPrefix = where.key(ObjectNames.checkPrefix(prefix, describe()));
        String location = "s3://" + where.bucket() + "/" + keyPrefix;
        ListingCheck check = new ListingCheck(where, keyPrefix, location);
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page;
            try {
                page = client.listObjectsV2(request -> request.bucket(where.bucket()).prefix(keyPrefix)
                        .maxKeys(maxKeysPerPage).continuationToken(continuation));
            } catch (SdkException e) {
                throw error("listing", location, e);
            }
            token = check.accept(page);
        } while (token != null);
        bucketSeen = true;
        return check.objects();
    }

    @Override
    public Optional<StoredObject> stat(String name) {
        String key = key(name);
        HeadObjectResponse head;
        try {
            head = client.headObject(request -> request.bucket(where.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            return missing(name);
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return missing(name);
            }
            throw error("looking up", locationOf(name), e);
        } catch (SdkException e) {
            throw error("looking up", locationOf(name), e);
        }
        bucketSeen = true;
        if (head.contentLength() == null) {
            throw DynamoException.failure("S3 gave no size for " + locationOf(name) + " (HeadObject without Content-Length)", null);
        }
        return Optional.of(new StoredObject(name, head.contentLength(), unquote(head.eTag())));
    }

    /** HeadObject answers a bare 404 for a missing object and for a missing bucket alike: tell them apart once. */
    private Optional<StoredObject> missing(String name) {
        if (!bucketSeen) {
            try {
                client.headBucket(request -> request.bucket(where.bucket()));
            } catch (AwsServiceException e) {
                if (e.statusCode() == 404) {
                    throw DynamoException.usage("bucket '" + where.bucket() + "' does not exist (NoSuchBucket) while looking up "
                            + locationOf(name) + ": check the name, create it first, or name its store with --s3-endpoint-url");
                }
                throw error("looking up", locationOf(name), e);
            } catch (SdkException e) {
                throw error("looking up", locationOf(name), e);
            }
            bucketSeen = true;
        }
        return Optional.empty();
    }

    @Override
    public InputStream open(String name) {
        String key = key(name);
        try {
            return client.getObject(request -> request.bucket(where.bucket()).key(key));
        } catch (SdkException e) {
            throw error("reading", locationOf(name), e);
        }
    }

    @Override
    public StoredOutput create(String name) {
        return new S3Output(this, name, key(name));
    }

    @Override
    public Optional<StoredObject> createIfAbsent(String name, byte[] bytes) {
        return putConditionally(name, bytes, request -> request.ifNoneMatch("*"));
    }

    @Override
    public Optional<StoredObject> replaceIfUnchanged(String name, byte[] bytes, String etag) {
        return putConditionally(name, bytes, request -> request.ifMatch("\"" + etag + "\""));
    }

    /** One PutObject of a small object with a condition; its ETag checked against the MD5 of the bytes. */
    private Optional<StoredObject> putConditionally(String name, byte[] bytes, Consumer<PutObjectRequest.Builder> condition) {
        String key = key(name);
        byte[] md5 = LocalStore.md5().digest(bytes);
        PutObjectResponse response;
        try {
            response = client.putObject(request -> {
                request.bucket(where.bucket()).key(key).contentType("application/json").contentLength((long) bytes.length)
                        .contentMD5(Base64.getEncoder().encodeToString(md5));
                condition.accept(request);
            }, RequestBody.fromBytes(bytes));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return Optional.empty();
            }
            throw error("writing", locationOf(name), e);
        } catch (SdkException e) {
            throw error("writing", locationOf(name), e);
        }
        bucketSeen = true;
        String etag = unquote(response.eTag());
        if (etag == null || etag.isEmpty()) {
            throw DynamoException.failure("S3 gave no ETag for " + locationOf(name) + " (PutObject)", null);
        }
        return Optional.of(new StoredObject(name, bytes.length, etag));
    }

    @Override
    public void delete(String name) {
        String key = key(name);
        try {
            client.deleteObject(request -> request.bucket(where.bucket()).key(key));
        } catch (SdkException e) {
            throw error("deleting", locationOf(name), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** An ETag without its quotes ({@code "abc"} -> {@code abc}), or null. */
    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
