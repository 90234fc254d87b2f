package dev.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every way {@code dynamo query} can be asked wrongly or fail: one line on stderr starting
 * {@code dynamo: }, nothing on stdout, exit 2 for a usage error and 1 for a runtime failure.
 */
@EngineTest
class QueryErrorsTest {
    private static String env;
    private static String events;
    private static String numbers;
    private static String binary;
    private static String plain;

    @TempDir
    Path home;

    private Cli cli;

    @BeforeAll
    static void createTables(LocalDynamoDb db) {
        env = db.env();
        events = TestTables.table("events")
                .partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .gsi("byType", "type", ScalarAttributeType.S, "at", ScalarAttributeType.N, ProjectionType.ALL)
                .gsi("byUser", "user", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY)
                .lsi("byAt", "at", ScalarAttributeType.N, ProjectionType.KEYS_ONLY)
                .create(db.client());
        TestTables.put(db.client(), events, List.of(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("1"),
                "type", AttributeValue.fromS("click"), "at", AttributeValue.fromN("5"))));
        numbers = TestTables.table("numbers").partitionKey("id", ScalarAttributeType.N).sortKey("seq", ScalarAttributeType.N)
                .create(db.client());
        binary = TestTables.table("binary").partitionKey("bk", ScalarAttributeType.B).create(db.client());
        TestTables.put(db.client(), binary, List.of(Map.of("bk", AttributeValue.fromB(SdkBytes.fromUtf8String("x")))));
        plain = TestTables.table("plain").partitionKey("id", ScalarAttributeType.S).create(db.client());
    }

    @BeforeEach
    void cli() {
        cli = Cli.isolated(home);
    }

    private String fail(int exitCode, String... args) {
        List<String> all = new ArrayList<>(List.of("query"));
        all.addAll(List.of(args));
        return cli.fail(exitCode, all.toArray(String[]::new)).stderr();
    }

    // --- the command line itself ---

    @Test
    void refusesAnUnknownOption() {
        assertThat(fail(2, "-t", events, "a", "--tabel", "x", "-e", env))
                .isEqualTo("dynamo: unknown option '--tabel'; did you mean '--table'? (see 'dynamo query --help')\n");
        assertThat(fail(2, "-t", events, "--pk", "a", "--colour", "-e", env))
                .isEqualTo("dynamo: unknown option '--colour' (see 'dynamo query --help')\n");
    }

    @Test
    void refusesAMissingTable() {
        assertThat(fail(2, "--pk", "a", "-e", env))
                .isEqualTo("dynamo: Missing required option: '--table=TABLE' (see 'dynamo query --help')\n");
    }

    @Test
    void refusesAMissingPartitionKey() {
        assertThat(fail(2, "-t", events, "-e", env)).isEqualTo("dynamo: no partition key value: give it as --pk VALUE "
                + "(or as the positional argument), for example: dynamo query -t " + events + " --pk customer#42\n");
    }

    @Test
    void refusesThePartitionKeyGivenTwice() {
        assertThat(fail(2, "-t", events, "--pk", "a", "b", "-e", env)).isEqualTo("dynamo: the partition key is given twice "
                + "(--pk a and b): give it once, as --pk VALUE or as the positional argument\n");
        assertThat(fail(2, "-t", events, "a", "b", "-e", env))
                .isEqualTo("dynamo: Unmatched argument at index 4: 'b' (see 'dynamo query --help')\n");
    }

    @Test
    void refusesAMissingOptionValue() {
        assertThat(fail(2, "-t", events, "a", "-e")).isEqualTo("dynamo: Missing required parameter for option '--env' (ENV) "
                + "(see 'dynamo query --help')\n");
    }

    @Test
    void refusesAnUnknownOutputFormat() {
        assertThat(fail(2, "-t", events, "a", "-o", "xml", "-e", env)).isEqualTo("dynamo: Invalid value for option '--output': "
                + "'xml' is not an output format for query; expected one of summary, json, jsonl, ddb, table (see 'dynamo query --help')\n");
        assertThat(fail(2, "-t", events, "a", "-o", "text", "-e", env)).isEqualTo("dynamo: Invalid value for option '--output': "
                + "'text' is not an output format for query; expected one of summary, json, jsonl, ddb, table (see 'dynamo query --help')\n");
    }

    @Test
    void refusesSkBetween_withOneValue() {
        assertThat(fail(2, "-t", events, "a", "--sk-between", "1", "-e", env)).isEqualTo("dynamo: Expected parameter 2 "
                + "(of 2 mandatory parameters) for option '--sk-between' but found '-e' (see 'dynamo query --help')\n");
        assertThat(fail(2, "-t", events, "a", "-e", env, "--sk-between", "1")).isEqualTo("dynamo: option '--sk-between' at index 0 "
                + "(LOW HIGH) requires at least 2 values, but only 1 were specified: [1] (see 'dynamo query --help')\n");
    }

    @Test
    void refusesTwoSortKeyConditions() {
        assertThat(fail(2, "-t", events, "a", "--sk-gt", "1", "--sk-lt", "5", "-e", env)).isEqualTo("dynamo: only one sort-key "
                + "condition is allowed, but --sk-lt and --sk-gt were given; use --sk-between LOW HIGH for a range\n");
        assertThat(fail(2, "-t", events, "a", "--sk", "1", "--sk-between", "1", "5", "-e", env))
                .contains("but --sk and --sk-between were given");
        assertThat(fail(2, "-t", events, "a", "--sk-between", "1", "2", "--sk-between", "3", "4", "-e", env))
                .contains("but --sk-between and --sk-between were given");
    }

    @Test
    void refusesCountWithHeadOrUnique() {
        assertThat(fail(2, "-t", events, "a", "--count", "--head", "-e", env)).isEqualTo(
                "dynamo: --count cannot be combined with --head: --count transfers no items; drop one of them\n");
        assertThat(fail(2, "-t", events, "a", "--count", "-u", "type", "-e", env)).isEqualTo(
                "dynamo: --count cannot be combined with --unique: --count transfers no items; drop one of them\n");
    }

    @Test
    void refusesHeadWithUnique_outsideTheSummary() {
        assertThat(fail(2, "-t", events, "a", "--head", "-u", "type", "-o", "jsonl", "-e", env)).isEqualTo(
                "dynamo: --head and --unique together need -o summary (the output is jsonl); give one of them, or add -o summary\n");
    }

    @Test
    void refusesALimitBelowOne() {
        assertThat(fail(2, "-t", events, "a", "--limit", "0", "-e", env))
                .isEqualTo("dynamo: --limit must be a positive number of items, not 0\n");
        assertThat(fail(2, "-t", events, "a", "--limit=-3", "-e", env))
                .isEqualTo("dynamo: --limit must be a positive number of items, not -3\n");
        assertThat(fail(2, "-t", events, "a", "--limit", "many", "-e", env))
                .isEqualTo("dynamo: Invalid value for option '--limit': 'many' is not a long (see 'dynamo query --help')\n");
    }

    @Test
    void refusesABadWhere() {
        assertThat(fail(2, "-t", events, "a", "--where", "type ~ click", "-e", env)).isEqualTo("dynamo: cannot read --where "
                + "'type ~ click': expected PATH OP VALUE with OP one of = != < <= > >= begins_with contains, "
                + "or PATH exists / PATH not_exists (e.g. --where 'status = active')\n");
        assertThat(fail(2, "-t", events, "a", "--where", "type =", "-e", env))
                .isEqualTo("dynamo: cannot read --where 'type =': = needs a value after it\n");
    }

    @Test
    void reportsAWhereValueDynamoDbRejects_asAUsageError() {
        String digits39 = "123456789012345678901234567890123456789";
        assertThat(fail(2, "-t", events, "a", "--where", "at = " + digits39, "-e", env))
                .startsWith("dynamo: DynamoDB rejected the query of '" + events + "' in '" + env + "' (us-east-1): ");
    }

    // --- values that do not fit the key schema ---

    @Test
    void refusesANumberKeyThatIsNotANumber() {
        assertThat(fail(2, "-t", numbers, "--pk", "abc", "-e", env))
                .isEqualTo("dynamo: partition key 'id' is a number (N) key, but 'abc' is not a number\n");
        assertThat(fail(2, "-t", numbers, "--pk", "1", "--sk-ge", "1,5", "-e", env))
                .isEqualTo("dynamo: sort key 'seq' is a number (N) key, but '1,5' is not a number\n");
        assertThat(fail(2, "-t", events, "-i", "byType", "--pk", "click", "--sk-between", "1", "two", "-e", env))
                .isEqualTo("dynamo: sort key 'at' of index 'byType' is a number (N) key, but 'two' is not a number\n");
    }

    @Test
    void refusesANumberKeyWithTooManyDigits() {
        assertThat(fail(2, "-t", numbers, "--pk", "1234567890123456789012345678901234567890", "-e", env))
                .contains("has more than 38 significant digits");
    }

    @Test
    void refusesAPrefix_onANumberSortKey() {
        assertThat(fail(2, "-t", numbers, "--pk", "1", "--sk", "1", "-e", env)).isEqualTo("dynamo: --sk matches a prefix "
                + "(begins_with), which DynamoDB allows only on string and binary keys, but sort key 'seq' is a number: "
                + "use --sk-eq, --sk-lt, --sk-le, --sk-gt, --sk-ge or --sk-between\n");
    }

    @Test
    void refusesABinaryKeyThatIsNotBase64() {
        assertThat(fail(2, "-t", binary, "--pk", "not base64!", "-e", env))
                .startsWith("dynamo: partition key 'bk' is a binary (B) key: give it as base64, but 'not base64!' is not base64 (");
    }

    @Test
    void refusesASortKeyCondition_onATableWithoutSortKey() {
        assertThat(fail(2, "-t", plain, "x", "--sk-eq", "1", "-e", env)).isEqualTo("dynamo: --sk-eq needs a sort key, but table '"
                + plain + "' has only a partition key (id (S))\n");
        assertThat(fail(2, "-t", events, "-i", "byUser", "--pk", "u", "--sk", "1", "-e", env))
                .isEqualTo("dynamo: --sk needs a sort key, but index 'byUser' has only a partition key (user (S))\n");
    }

    @Test
    void refusesAnEmptyStringKey() {
        assertThat(fail(2, "-t", events, "--pk", "", "-e", env)).isEqualTo("dynamo: partition key 'pk' is a string key and cannot be empty\n");
    }

    // --- tables, indexes, environments ---

    @Test
    void namesTheTableAndEnvironment_whenTheTableDoesNotExist() {
        assertThat(fail(2, "-t", "NoSuchTable", "--pk", "a", "-e", env)).isEqualTo("dynamo: table 'NoSuchTable' not found in '" + env
                + "' (us-east-1); list the tables there with: dynamo tables -e " + env + "\n");
    }

    @Test
    void refusesATableNameDynamoDbCannotHave() {
        assertThat(fail(2, "-t", "ab", "--pk", "a", "-e", env)).startsWith("dynamo: 'ab' is not a valid table name in '" + env + "'");
    }

    @Test
    void listsTheExistingIndexes_whenTheIndexDoesNotExist() {
        assertThat(fail(2, "-t", events, "-i", "byColour", "--pk", "a", "-e", env)).isEqualTo("dynamo: index 'byColour' not found "
                + "on table '" + events + "' in '" + env + "' (us-east-1); its indexes are: byType (GSI), byUser (GSI), byAt (LSI)\n");
        assertThat(fail(2, "-t", plain, "-i", "byColour", "--pk", "a", "-e", env)).isEqualTo("dynamo: index 'byColour' not found "
                + "on table '" + plain + "' in '" + env + "' (us-east-1); the table has no secondary indexes\n");
    }

    @Test
    void refusesConsistentReads_onAGsi() {
        assertThat(fail(2, "-t", events, "-i", "byType", "--pk", "click", "--consistent", "-e", env)).isEqualTo(
                "dynamo: --consistent is not allowed on global secondary index 'byType': GSIs only support eventually consistent "
                        + "reads; drop --consistent, or query the table or an LSI\n");
    }

    @Test
    void reportsAttributesAKeysOnlyGsiDoesNotProject_asAUsageError() {
        // DynamoDB refuses them rather than returning items without them; dynamo says so before asking (dynalite would not refuse).
        String prefix = "dynamo: global secondary index 'byUser' of table '" + events + "' projects KEYS_ONLY, so it has no attribute '";
        String advice = "' to return or filter on; query the table (without -i), or an index that projects it\n";
        assertThat(fail(2, "-t", events, "-i", "byUser", "--pk", "u", "-u", "type", "-o", "summary", "-e", env))
                .isEqualTo(prefix + "type" + advice);
        assertThat(fail(2, "-t", events, "-i", "byUser", "--pk", "u", "--projection", "pk,at", "-e", env))
                .isEqualTo(prefix + "at" + advice);
        assertThat(fail(2, "-t", events, "-i", "byUser", "--pk", "u", "--where", "type.kind = click", "-e", env))
                .isEqualTo(prefix + "type" + advice);
        assertThat(fail(2, "-t", events, "-i", "byUser", "--pk", "u", "--count", "--where", "type = click", "-e", env))
                .isEqualTo(prefix + "type" + advice);
    }

    @Test
    void refusesAWhereValueThatCannotHaveTheKeyAttributesType() {
        // 'at' is the number sort key of the LSI byAt: "abc" could never match (before: exit 0, no item, no word why).
        assertThat(fail(2, "-t", events, "--pk", "a", "--where", "at > abc", "-e", env)).isEqualTo("dynamo: --where 'at > ...' "
                + "compares a string with 'at', a key attribute of type N in table '" + events + "', so no item could match\n");
        // 'type' is the string key of the GSI byType: a bare number is a number, and would match nothing; quoted, a string.
        assertThat(fail(2, "-t", events, "--pk", "a", "--where", "type = 1", "-e", env)).isEqualTo("dynamo: --where 'type = ...' "
                + "compares a number with 'type', a key attribute of type S in table '" + events + "', so no item could match; quote "
                + "the value to compare it as a string: type = \"1\"\n");
        assertThat(Cli.isolated(home).succeed("query", "-t", events, "--pk", "a", "--where", "type = \"click\"", "--count", "-e", env)
                .stdout()).contains("\"Count\":1");
        assertThat(Cli.isolated(home).succeed("query", "-t", events, "--pk", "a", "--where", "at >= 5", "--count", "-e", env)
                .stdout()).contains("\"Count\":1");
    }

    @Test
    void refusesAnUnknownProfile() {
        assertThat(fail(2, "-t", events, "a", "-e", "staging")).isEqualTo("dynamo: unknown AWS profile 'staging' (not in "
                + home.resolve(".aws/config") + " or " + home.resolve(".aws/credentials") + "; no profiles are configured); "
                + "for a local endpoint pass a URL such as http://localhost:8000\n");
    }

    @Test
    void refusesAMalformedUrl() {
        assertThat(fail(2, "-t", events, "a", "-e", "http:/127.0.0.1:8000")).isEqualTo("dynamo: malformed endpoint URL "
                + "'http:/127.0.0.1:8000' from the environment: expected http://host:port or https://host, for example "
                + "http://localhost:8000\n");
        assertThat(fail(2, "-t", events, "a", "-e", env, "--endpoint-url", "127.0.0.1:8000"))
                .startsWith("dynamo: malformed endpoint URL '127.0.0.1:8000' from --endpoint-url: ");
    }

    @Test
    void failsWithOneLine_whenTheEndpointIsUnreachable() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();
        assertThat(fail(1, "-t", events, "a", "-e", closed)).isEqualTo("dynamo: cannot reach '" + closed
                + "' (us-east-1) while describing table '" + events + "' (connection refused): check that DynamoDB is running "
                + "there and the --env/--endpoint-url is right\n");
    }

    @Test
    void failsWithOneLine_whenTheProfilesCredentialProcessFails() throws IOException {
        Path script = home.resolve("login-expired.sh");
        Files.writeString(script, "#!/bin/sh\necho 'session expired: run corp-login' >&2\nexit 4\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Path badJson = home.resolve("bad-json.sh");
        Files.writeString(badJson, "#!/bin/sh\necho 'not json'\n");
        assertThat(badJson.toFile().setExecutable(true)).isTrue();
        // The endpoint is a closed local port: even if credentials were somehow found, nothing leaves this machine.
        String closed = "http://127.0.0.1:" + closedPort();
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[profile corp]\ncredential_process = " + script + "\nendpoint_url = " + closed
                + "\nregion = eu-west-1\n[profile garbled]\ncredential_process = " + badJson + "\nendpoint_url = " + closed + "\n");

        assertThat(fail(1, "-t", events, "a", "-e", "corp")).startsWith("dynamo: cannot get AWS credentials for 'corp' (" + closed
                + ", eu-west-1) while describing table '" + events + "', from profile 'corp' (credential_process): ")
                .contains("(4)").contains("session expired: run corp-login")
                .endsWith("; fix the profile (aws configure --profile NAME, aws sso login --profile NAME) or set AWS_ACCESS_KEY_ID "
                        + "and AWS_SECRET_ACCESS_KEY\n");
        assertThat(fail(1, "-t", events, "a", "-e", "garbled"))
                .startsWith("dynamo: cannot get AWS credentials for 'garbled' (" + closed + ", us-east-1) while describing table '"
                        + events + "', from profile 'garbled' (credential_process): ");
    }

    @Test
    void printsAStackTrace_onlyWithDebug() {
        CommandResult result = cli.run("query", "-t", "NoSuchTable", "--pk", "a", "-e", env, "--debug");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("dynamo: table 'NoSuchTable' not found").contains("\tat dev.dynamo.");
        assertThat(result.stdout()).isEmpty();
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
