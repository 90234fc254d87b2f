package dev.dynamo.env;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.CRC32;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Lets the copy engine handle the items of its hottest calls as the JSON bytes DynamoDB sends,
 * while the SDK keeps doing everything else (credentials, signing, endpoints, retries, errors).
 * Turning a 1 MB Scan page into SDK objects, copying them three times, and turning them back into
 * BatchWriteItem JSON was most of the client's CPU in a copy; the items' bytes are what DynamoDB
 * wants back anyway.
 *
 * <p>Both hooks are per request, through execution attributes set on the request's override
 * configuration, and do nothing for requests without them:
 * <ul>
 *   <li>{@link #REQUEST_BODY}: the request is sent with exactly these bytes as its body (signed,
 *       its {@code Content-Length} set), whatever the SDK marshalled.</li>
 *   <li>{@link #RESPONSE_FILTER}: a successful response's body is read whole, its CRC32 checked
 *       against DynamoDB's {@code x-amz-crc32} header (a mismatch is the SDK's retryable
 *       {@link Crc32MismatchException}), and handed to the filter; the SDK then parses what the
 *       filter returns. Error responses are left to the SDK.</li>
 * </ul>
 *
 * <p>Registered on every client {@link DynamoClientFactory} builds. Stateless and thread-safe; with
 * a sync client every hook of a call runs on the calling thread.
 */
public final class RawBodies implements ExecutionInterceptor {
    /** Send these bytes as the request's body. */
    public static final ExecutionAttribute<byte[]> REQUEST_BODY = new ExecutionAttribute<>("dynamo.RequestBody");
    /** See a successful response's body first, and give the SDK another to parse. */
    public static final ExecutionAttribute<ResponseFilter> RESPONSE_FILTER = new ExecutionAttribute<>("dynamo.ResponseFilter");
    /** The response's CRC32 header, kept when it is taken off the response (the SDK would check it against the filtered body). */
    private static final ExecutionAttribute<String> CRC32_HEADER = new ExecutionAttribute<>("dynamo.ResponseCrc32");
    private static final String CRC32 = "x-amz-crc32";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    /** Sees a successful response's body before the SDK does. */
    @FunctionalInterface
    public interface ResponseFilter {
        /**
         * @param body the whole body, its CRC32 checked
         * @return the body the SDK parses instead
         * @throws IOException if the body is not what the filter expects (the call fails)
         */
        byte[] filter(byte[] body) throws IOException;
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(REQUEST_BODY);
        if (body == null) {
            return context.requestBody();
        }
        return Optional.of(RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(body), body.length, CONTENT_TYPE));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(REQUEST_BODY);
        if (body == null) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder().putHeader("Content-Length", Integer.toString(body.length)).build();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        if (attributes.getAttribute(RESPONSE_FILTER) == null || !response.isSuccessful()) {
            return response;
        }
        Optional<String> crc = response.firstMatchingHeader(CRC32);
        if (crc.isEmpty()) {
            return response;
        }
        attributes.putAttribute(CRC32_HEADER, crc.get());
        return response.toBuilder().removeHeader(CRC32).build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        ResponseFilter filter = attributes.getAttribute(RESPONSE_FILTER);
        Optional<InputStream> content = context.responseBody();
        if (filter == null || !context.httpResponse().isSuccessful() || content.isEmpty()) {
            return content;
        }
        // The header is still on the response or already taken off it, depending on which hook ran first.
        String crc = context.httpResponse().firstMatchingHeader(CRC32).orElseGet(() -> attributes.getAttribute(CRC32_HEADER));
        attributes.putAttribute(CRC32_HEADER, null);
        byte[] body;
        try (InputStream in = content.get()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (crc != null) {
            CRC32 checksum = new CRC32();
            checksum.update(body);
            if (checksum.getValue() != Long.parseLong(crc)) {
                throw Crc32MismatchException.builder()
                        .message("Expected " + crc + " as the CRC32 of DynamoDB's response but got " + checksum.getValue())
                        .build();
            }
        }
        try {
            return Optional.of(new ByteArrayInputStream(filter.filter(body)));
        } catch (IOException e) {
            throw SdkClientException.create("Unexpected response from DynamoDB: " + e.getMessage(), e);
        }
    }
}
