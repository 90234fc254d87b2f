package dev.dynamo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The engine the harness starts (dev/engine/server.js around dynalite): loopback only, and alive after
 * clients that vanish mid-request, which kill a bare dynalite ("Error: aborted").
 */
@Tag(EngineTest.TAG)
class LocalDynamoDbTest {
    private static LocalDynamoDb engine;

    @BeforeAll
    static void start() {
        engine = LocalDynamoDb.startDynalite("harness-test");
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.port()), 2000);
        }
        for (InetAddress address : LocalDynamoDb.nonLoopbackAddresses()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, engine.port()), 500);
                }
            }).as("a connection to %s", address).isInstanceOf(IOException.class);
        }
    }

    @Test
    void keepsServing_whenClientsDropConnectionsMidRequest() throws Exception {
        String table = TestTables.table("abort").partitionKey("pk", ScalarAttributeType.S).create(engine.client());
        for (int i = 0; i < 5; i++) {
            // A BatchWriteItem whose body stops a third of the way, then the connection closes (a kill -9'd client).
            String body = "{\"RequestItems\":{\"" + table + "\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"k" + i + "\"}}}}]}}";
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "X-Amz-Target: DynamoDB_20120810.BatchWriteItem\r\nContent-Length: " + body.length() + "\r\n\r\n"
                        + body.substring(0, body.length() / 3)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(50);
                socket.setSoLinger(true, 0);  // close with a reset, as the kernel does for a killed process
            }
        }
        Thread.sleep(200);

        assertThat(engine.isAlive()).as("the engine process").isTrue();
        assertThat(engine.client().listTables().tableNames()).contains(table);
        assertThat(engine.client().scan(b -> b.tableName(table)).items()).as("nothing of the cut requests was written").isEmpty();
    }

    @Test
    void refusesMoreScanSegmentsThanDynaliteServesCorrectly() {
        assertThatThrownBy(() -> EngineLimits.checkSegments(List.of("copy", "--segments", "4097")))
                .hasMessageContaining("more than 4096 scan segments");
        EngineLimits.checkSegments(List.of("copy", "--segments", "4096"));
        EngineLimits.checkSegments(List.of("copy", "--segments", "1000001"));  // dynamo refuses it itself
    }
}
