package dev.dynamo.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.zip.CRC32;

/**
 * A real HTTP proxy on 127.0.0.1 between the tool and the DynamoDB engine that injects faults: error
 * answers (throttling, 5xx, access denied, expired token), connection resets before or after
 * forwarding, delays, and BatchWriteItem calls made partial for real (part of the batch forwarded,
 * the rest returned as UnprocessedItems). Nothing about DynamoDB is faked: every forwarded request
 * is served by the real server.
 *
 * <p>The policy sees each request's operation ({@code BatchWriteItem}, from X-Amz-Target) and its
 * sequence number and says which {@link Fault} to apply; {@link #injected()} counts what was
 * injected, by operation and fault. HTTP/1.1 with keep-alive, Content-Length or chunked bodies.
 */
public final class FaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private final List<Socket> open = new ArrayList<>();
    private volatile BiFunction<String, Long, Fault> policy = (operation, n) -> Fault.NONE;
    private volatile java.util.function.BiConsumer<String, String> observer = (operation, body) -> { };
    private volatile boolean closed;

    private FaultProxy(ServerSocket server, URI upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** A proxy to {@code upstream} (an http://127.0.0.1:port URL) on a free port of 127.0.0.1. */
    public static FaultProxy start(URI upstream) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            FaultProxy proxy = new FaultProxy(server, upstream);
            Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    /** Decides the fault for each request from its operation and 1-based sequence number. */
    public FaultProxy policy(BiFunction<String, Long, Fault> newPolicy) {
        this.policy = newPolicy;
        return this;
    }

    /** Sees each request's operation and body as it arrives, before its fault is applied. */
    public FaultProxy observe(java.util.function.BiConsumer<String, String> newObserver) {
        this.observer = newObserver;
        return this;
    }

    /** Applies {@code fault} to about {@code share} of the calls of {@code operation} (deterministic spacing). */
    public FaultProxy every(String operation, double share, Fault fault) {
        long period = Math.max(1, Math.round(1 / share));
        AtomicLong seen = new AtomicLong();
        return policy((op, n) -> op.equals(operation) && seen.incrementAndGet() % period == 0 ? fault : Fault.NONE);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public String env() {
        return endpoint().toString();
    }

    /** Requests seen so far. */
    public long requests() {
        return requests.get();
    }

    /** Faults injected so far, keyed {@code Operation:Fault}, e.g. {@code BatchWriteItem:ThrottlingException}. */
    public Map<String, Long> injected() {
        Map<String, Long> copy = new LinkedHashMap<>();
        injected.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    public long injectedTotal() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                synchronized (open) {
                    open.add(client);
                }
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("fault proxy accept failed", e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstreamSocket = new Socket(upstream.getHost(), upstream.getPort())) {
            // A message goes out in one write and without Nagle's delay: headers and body written apart, the body
            // waited for the ACK of the headers, which the peer delays by 40 ms (most of a run's time through the proxy).
            client.setTcpNoDelay(true);
            upstreamSocket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
            InputStream upstreamIn = new BufferedInputStream(upstreamSocket.getInputStream());
            OutputStream upstreamOut = new BufferedOutputStream(upstreamSocket.getOutputStream(), 64 * 1024);
            for (Message request = Message.read(in, true); request != null; request = Message.read(in, true)) {
                long n = requests.incrementAndGet();
                String operation = operation(request);
                observer.accept(operation, new String(request.body, StandardCharsets.UTF_8));
                Fault fault = policy.apply(operation, n);
                if (fault.kind() != Fault.Kind.NONE && fault.kind() != Fault.Kind.PARTIAL_BATCH) {
                    count(operation, fault);
                }
                switch (fault.kind()) {
                    case ERROR -> {
                        error(fault).write(out);
                        continue;
                    }
                    case RESET_BEFORE -> {
                        reset(client);
                        return;
                    }
                    case DELAY -> sleep(fault.millis());
                    case HUGE -> {
                        huge(out, fault.millis(), fault.forward());
                        return;
                    }
                    case ANSWERED -> {
                        if (!fault.forward()) {
                            answer(request, null, fault).write(out);
                            continue;
                        }
                    }
                    default -> {
                        // forwarded below
                    }
                }
                ArrayNode withheld = null;
                String withheldTable = null;
                if (fault.kind() == Fault.Kind.PARTIAL_BATCH && operation.equals("BatchWriteItem")) {
                    ObjectNode body = (ObjectNode) JSON.readTree(request.body);
                    ObjectNode items = (ObjectNode) body.get("RequestItems");
                    withheldTable = items.fieldNames().next();
                    ArrayNode writes = (ArrayNode) items.get(withheldTable);
                    int keep = (int) Math.max(1, Math.floor(writes.size() * (1 - fault.share())));
                    withheld = JSON.createArrayNode();
                    while (writes.size() > keep) {
                        withheld.insert(0, writes.remove(writes.size() - 1));
                    }
                    request = request.withBody(JSON.writeValueAsBytes(body));
                    if (!withheld.isEmpty()) {
                        // Counted only when something is withheld: a batch of one item is forwarded whole.
                        count(operation, fault);
                    }
                }
                request.header("Host", upstream.getHost() + ":" + upstream.getPort());
                request.write(upstreamOut);
                Message response = Message.read(upstreamIn, false);
                if (response == null) {
                    return;
                }
                if (fault.kind() == Fault.Kind.RESET_AFTER) {
                    reset(client);
                    return;
                }
                if (fault.kind() == Fault.Kind.TRUNCATED) {
                    response.writeHead(out);
                    out.write(response.body, 0, response.body.length / 2);
                    out.flush();
                    return;
                }
                if (fault.kind() == Fault.Kind.TRICKLE) {
                    response.writeHead(out);
                    for (byte b : response.body) {
                        out.write(b);
                        out.flush();
                        sleep(fault.millis());
                        if (closed) {
                            return;
                        }
                    }
                    continue;
                }
                if (fault.kind() == Fault.Kind.NO_CRC) {
                    response.removeHeader("x-amz-crc32");
                }
                if (fault.kind() == Fault.Kind.DAMAGED) {
                    response.damage();
                }
                if (fault.kind() == Fault.Kind.ANSWERED) {
                    response = answer(request, response, fault);
                }
                if (withheld != null && !withheld.isEmpty() && response.status == 200) {
                    ObjectNode body = (ObjectNode) JSON.readTree(response.body);
                    ObjectNode unprocessed = body.has("UnprocessedItems") && body.get("UnprocessedItems").isObject()
                            ? (ObjectNode) body.get("UnprocessedItems") : body.putObject("UnprocessedItems");
                    ArrayNode list = unprocessed.has(withheldTable) ? (ArrayNode) unprocessed.get(withheldTable)
                            : unprocessed.putArray(withheldTable);
                    list.addAll(withheld);
                    response = response.withBody(JSON.writeValueAsBytes(body));
                }
                response.write(out);
            }
        } catch (SocketException e) {
            // the client or server closed the connection: the conversation is over
        } catch (IOException e) {
            if (!closed) {
                throw new IllegalStateException("fault proxy connection failed", e);
            }
        } finally {
            synchronized (open) {
                open.remove(client);
            }
        }
    }

    /** A 200 answer with the fault's body, headers as DynamoDB sends them and a CRC32 that matches. */
    private static Message answer(Message request, Message serverAnswer, Fault fault) throws IOException {
        String body = fault.answer().body(new String(request.body, StandardCharsets.UTF_8),
                serverAnswer == null ? null : new String(serverAnswer.body, StandardCharsets.UTF_8));
        Message answer = new Message("HTTP/1.1 200 OK");
        answer.header("Content-Type", "application/x-amz-json-1.0");
        answer.header("x-amz-crc32", "0");
        return answer.withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    /** Streams a 200 answer of {@code bytes} bytes (a page whose Items array is padded with spaces) until done or the client goes. */
    private static void huge(OutputStream out, long bytes, boolean declared) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n");
        head.append(declared ? "Content-Length: " + bytes + "\r\n" : "Connection: close\r\n").append("x-amz-crc32: 0\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        byte[] start = "{\"Count\":0,\"ScannedCount\":0,\"Items\":[".getBytes(StandardCharsets.US_ASCII);
        out.write(start);
        byte[] spaces = new byte[64 * 1024];
        java.util.Arrays.fill(spaces, (byte) ' ');
        for (long sent = start.length; sent < bytes; sent += spaces.length) {
            out.write(spaces, 0, (int) Math.min(spaces.length, bytes - sent));
        }
        out.flush();
    }

    private void count(String operation, Fault fault) {
        injected.computeIfAbsent(operation + ":" + fault.label(), key -> new AtomicLong()).incrementAndGet();
    }

    private static Message error(Fault fault) {
        String message = switch (fault.label()) {
            case "ProvisionedThroughputExceededException" -> "The level of configured provisioned throughput for the table was exceeded.";
            case "ThrottlingException" -> "Rate of requests exceeds the allowed throughput.";
            case "RequestLimitExceeded" -> "Throughput exceeds the current throughput limit for your account.";
            case "AccessDeniedException" -> "User: arn:aws:iam::123456789012:user/test is not authorized to perform this action";
            case "ExpiredTokenException" -> "The security token included in the request is expired";
            default -> "Injected by the fault proxy";
        };
        ObjectNode body = JSON.createObjectNode().put("__type", fault.type()).put("message", message);
        Message response = new Message("HTTP/1.1 " + fault.status() + " " + (fault.status() == 400 ? "Bad Request"
                : fault.status() == 500 ? "Internal Server Error" : "Service Unavailable"));
        response.header("Content-Type", "application/x-amz-json-1.0");
        response.header("x-amzn-RequestId", "fault-proxy-" + System.nanoTime());
        try {
            return response.withBody(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String operation(Message request) {
        String target = request.header("X-Amz-Target");
        return target == null ? "" : target.substring(target.indexOf('.') + 1);
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
        socket.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (open) {
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        connections.shutdownNow();
    }

    /** An HTTP/1.1 request or response: start line, headers (order kept), body. */
    private static final class Message {
        private final String startLine;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        int status;

        Message(String startLine) {
            this.startLine = startLine;
            if (startLine.startsWith("HTTP/")) {
                status = Integer.parseInt(startLine.split(" ")[1]);
            }
        }

        static Message read(InputStream in, boolean request) throws IOException {
            String line = readLine(in);
            if (line == null || line.isEmpty()) {
                return null;
            }
            Message message = new Message(line);
            for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                int colon = header.indexOf(':');
                message.headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
            String length = message.header("Content-Length");
            String encoding = message.header("Transfer-Encoding");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                message.body = readChunked(in);
                message.removeHeader("Transfer-Encoding");
            } else if (length != null) {
                message.body = in.readNBytes(Integer.parseInt(length));
            } else if (!request && message.status != 204 && message.status != 304) {
                message.body = in.readAllBytes();
            }
            return message;
        }

        Message withBody(byte[] newBody) {
            Message copy = new Message(startLine);
            copy.headers.putAll(headers);
            copy.body = newBody;
            if (copy.header("x-amz-crc32") != null) {
                CRC32 crc = new CRC32();
                crc.update(newBody);
                copy.header("x-amz-crc32", Long.toString(crc.getValue()));
            }
            return copy;
        }

        /** Upper-cases one lower-case letter past the middle of the body (still JSON), leaving the headers as they are. */
        void damage() {
            for (int i = body.length / 2; i < body.length; i++) {
                if (body[i] >= 'a' && body[i] <= 'z') {
                    body = body.clone();
                    body[i] = (byte) (body[i] - 'a' + 'A');
                    return;
                }
            }
            throw new IllegalStateException("no letter to damage in a body of " + body.length + " bytes");
        }

        String header(String name) {
            for (Map.Entry<String, String> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue();
                }
            }
            return null;
        }

        void header(String name, String value) {
            removeHeader(name);
            headers.put(name, value);
        }

        void removeHeader(String name) {
            for (Iterator<String> names = headers.keySet().iterator(); names.hasNext(); ) {
                if (names.next().equalsIgnoreCase(name)) {
                    names.remove();
                }
            }
        }

        void write(OutputStream out) throws IOException {
            writeHead(out);
            out.write(body);
            out.flush();
        }

        /** The start line and headers, with the Content-Length of the whole body. */
        void writeHead(OutputStream out) throws IOException {
            header("Content-Length", Integer.toString(body.length));
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String size = readLine(in); size != null; size = readLine(in)) {
                int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (length == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are dropped
                    }
                    break;
                }
                body.write(in.readNBytes(length));
                readLine(in);
            }
            return body.toByteArray();
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
