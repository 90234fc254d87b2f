package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Hostile and mistaken input to every command, as one table: each row is the command line, the
 * exit code and the exact one line on stderr. Every row also checks that stdout is empty, that no
 * stack trace is printed, and that nothing was written: the target table is unchanged and no file
 * appeared in the backup directory, the home directory or the working directory.
 *
 * <p>A row is one line: {@code row(exitCode, "stderr", "args")}. Args are split on spaces, with
 * single quotes around an argument that holds spaces, and these placeholders replaced in both the
 * args and the message: {@code {src}} the source server's URL, {@code {tgt}} the target server's,
 * {@code {orders}} the source table, {@code {target}} the target table, {@code {binary}} a table
 * with a binary key, {@code {closed}} a URL where nothing listens, {@code {denied}} and
 * {@code {expired}} proxies that answer AccessDenied and ExpiredToken, {@code {dir}} the backup
 * directory, {@code {file}} a regular file, {@code {home}} the home directory.
 */
@EngineTest
class BadInputTest {
    private static final String SEGMENTS_WHY = ": each segment costs at least one Scan call and a run reads --threads of them "
            + "at once (without --segments, one per 128 MB of table is chosen)";
    @TempDir
    static Path home;

    @TempDir
    static Path dir;

    @TempDir
    static Path elsewhere;

    private static LocalDynamoDb db;
    private static LocalDynamoDb other;
    private static final Map<String, String> PLACES = new TreeMap<>();
    private static FaultProxy denied;
    private static FaultProxy expired;
    private static String target;

    @BeforeAll
    static void fixtures(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) throws IOException {
        db = primary;
        other = second;
        String orders = TestTables.table("bad").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL)
                .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.KEYS_ONLY)
                .lsi("byTotal", "total", ScalarAttributeType.N, ProjectionType.ALL)
                .create(db.client());
        TestTables.put(db.client(), orders, List.of(
                Map.of("pk", s("a"), "sk", n("1"), "status", s("open"), "code", n("7"), "total", n("10")),
                Map.of("pk", s("a"), "sk", n("2"), "status", s("shipped"), "code", n("8"), "total", n("20"))));
        String binary = TestTables.table("bad").partitionKey("bk", ScalarAttributeType.B).create(db.client());
        // The target has a GSI keyed on the number 'code'; this source, without the index, holds a string there, which
        // every engine refuses ("Type mismatch for Index Key"). (A 3,000-byte GSI key, over DynamoDB's 2,048, dynalite takes.)
        String wide = TestTables.table("bad").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        TestTables.put(db.client(), wide, List.of(Map.of("pk", s("wide"), "sk", n("1"), "code", s("seven"))));
        target = TestTables.table("bad").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL)
                .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.KEYS_ONLY)
                .lsi("byTotal", "total", ScalarAttributeType.N, ProjectionType.ALL)
                .create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("old"), "sk", n("1"), "status", s("kept"))));
        denied = FaultProxy.start(db.endpoint()).policy((operation, n) -> Fault.accessDenied());
        expired = FaultProxy.start(db.endpoint()).policy((operation, n) -> Fault.expiredToken());
        Path file = elsewhere.resolve("a-file");
        Files.writeString(file, "not a directory\n");
        // A link planted where a dead-letter file is asked for: dynamo must not append through it.
        Path link = Files.createSymbolicLink(elsewhere.resolve("planted.jsonl"), file);
        String closed = "http://127.0.0.1:" + closedPort();
        Files.createDirectories(home.resolve(".aws"));
        // A profile whose key id has no secret: it has no usable credentials. Its endpoint is a closed local
        // port, so nothing would leave this machine even if credentials were somehow found.
        Files.writeString(home.resolve(".aws/config"), "[profile nokeys]\nregion = eu-west-1\nendpoint_url = " + closed + "\n"
                + "[profile local]\nregion = us-east-1\nendpoint_url = " + db.env() + "\n");
        Files.writeString(home.resolve(".aws/credentials"), "[nokeys]\naws_access_key_id = AKIDWITHOUTSECRET\n");
        PLACES.putAll(Map.of("{src}", db.env(), "{tgt}", other.env(), "{orders}", orders, "{target}", target, "{binary}", binary,
                "{closed}", closed, "{denied}", denied.env(), "{expired}", expired.env(), "{dir}", dir.toString(),
                "{file}", file.toString()));
        PLACES.put("{home}", home.toString());
        PLACES.put("{wide}", wide);
        // The engine's ItemCount: DynamoDB updates it about every six hours, DynamoDB Local at once, dynalite never (0).
        long targetCount = other.client().describeTable(b -> b.tableName(target)).table().itemCount();
        PLACES.put("{aboutTarget}", targetCount > 0 ? " (about " + targetCount + ")" : "");
        PLACES.put("{elsewhere}", elsewhere.toString());
        PLACES.put("{link}", link.toString());
    }

    @AfterAll
    static void stopProxies() {
        denied.close();
        expired.close();
    }

    /**
     * One bad command line.
     *
     * @param exitCode the exit code it must end with
     * @param stderr   the one line it must print (placeholders allowed)
     * @param args     the command line (placeholders allowed; single quotes group words)
     */
    record BadInput(int exitCode, String stderr, String args) {
        @Override
        public String toString() {
            return args;
        }
    }

    static BadInput row(int exitCode, String stderr, String args) {
        return new BadInput(exitCode, stderr, args);
    }

    static final String COPY = "copy -t {orders} --target-table {target} --source {src} --target {tgt} --yes --backup-dir {dir} ";
    static final String QUERY = "query -t {orders} -e {src} ";

    static Stream<BadInput> badInputs() {
        return Stream.of(
                // --- the root command ---
                row(2, "dynamo: unknown option '--colour' (see 'dynamo --help')", "--colour"),
                row(2, "dynamo: unknown command 'frobnicate' (see 'dynamo --help')", "frobnicate"),
                row(2, "dynamo: unknown option '-x' (see 'dynamo --help')", "-x query -t {orders} --pk a -e {src}"),

                // --- tables ---
                row(1, "dynamo: cannot reach '{closed}' (us-east-1) while listing tables (connection refused): check that DynamoDB "
                        + "is running there and the --env/--endpoint-url is right", "tables -e {closed}"),
                row(2, "dynamo: unknown AWS profile 'staging' (not in {home}/.aws/config or {home}/.aws/credentials; known profiles: "
                        + "local, nokeys); for a local endpoint pass a URL such as http://localhost:8000", "tables -e staging"),
                row(2, "dynamo: Invalid value for option '--output': 'xml' is not an output format for tables; expected one of "
                        + "text, json, jsonl (see 'dynamo tables --help')", "tables -e {src} -o xml"),
                row(2, "dynamo: Invalid value for option '--output': 'table' is not an output format for describe; expected one of "
                        + "text, json (see 'dynamo describe --help')", "describe -t {orders} -e {src} -o table"),
                row(1, "dynamo: access denied in '{denied}' (us-east-1) while listing tables: User: arn:aws:iam::123456789012:user/test "
                        + "is not authorized to perform this action (grant the permission, or use another profile)", "tables -e {denied}"),
                row(2, "dynamo: malformed endpoint URL 'localhost:8000' from --endpoint-url: expected http://host:port or https://host, "
                        + "for example http://localhost:8000", "tables -e {src} --endpoint-url localhost:8000"),

                row(2, "dynamo: unknown option '--all' (see 'dynamo tables --help')", "tables -e {src} --all"),

                // --- describe ---
                row(2, "dynamo: 'ab' is not a valid table name in '{src}' (us-east-1): a DynamoDB table name has 3 to 255 characters, "
                        + "each a letter, a digit, '_', '-' or '.'",
                        "describe -t ab -e {src}"),
                row(2, "dynamo: Missing required option: '--table=TABLE' (see 'dynamo describe --help')", "describe -e {src}"),
                row(2, "dynamo: table 'NoSuchTable' not found in '{src}' (us-east-1); list the tables there with: dynamo tables -e {src}",
                        "describe -t NoSuchTable -e {src}"),
                row(1, "dynamo: the credentials for '{expired}' (us-east-1) have expired (ExpiredTokenException) while describing table "
                        + "'{orders}': refresh them (aws sso login --profile ..., or new session keys) and run again",
                        "describe -t {orders} -e {expired}"),

                // --- query ---
                row(2, "dynamo: unknown option '--tabel'; did you mean '--table'? (see 'dynamo query --help')", "query --tabel {orders} --pk a -e {src}"),
                row(2, "dynamo: Missing required option: '--table=TABLE' (see 'dynamo query --help')", "query --pk a -e {src}"),
                row(2, "dynamo: sort key 'sk' is a number (N) key, but 'abc' is not a number", QUERY + "--pk a --sk-eq abc"),
                row(2, "dynamo: partition key 'code' of index 'byCode' is a number (N) key, but 'seven' is not a number",
                        QUERY + "-i byCode --pk seven"),
                row(2, "dynamo: partition key 'bk' is a binary (B) key: give it as base64, but 'not base64!' is not base64 "
                        + "(Illegal base64 character 20)", "query -t {binary} -e {src} --pk 'not base64!'"),
                row(2, "dynamo: table 'NoSuchTable' not found in '{src}' (us-east-1); list the tables there with: dynamo tables -e {src}",
                        "query -t NoSuchTable -e {src} --pk a"),
                row(2, "dynamo: index 'byColour' not found on table '{orders}' in '{src}' (us-east-1); its indexes are: byCode (GSI), "
                        + "byStatus (GSI), byTotal (LSI)", QUERY + "-i byColour --pk a"),
                row(2, "dynamo: unknown AWS profile 'staging' (not in {home}/.aws/config or {home}/.aws/credentials; known profiles: "
                        + "local, nokeys); for a local endpoint pass a URL such as http://localhost:8000",
                        "query -t {orders} --pk a -e staging"),
                row(2, "dynamo: unknown AWS profile 'staging' (not in {home}/.aws/config or {home}/.aws/credentials; known profiles: "
                        + "local, nokeys)", "query -t {orders} --pk a -e {src} --profile staging"),
                row(2, "dynamo: malformed endpoint URL 'http:/127.0.0.1:8000' from the environment: expected http://host:port or "
                        + "https://host, for example http://localhost:8000", "query -t {orders} --pk a -e http:/127.0.0.1:8000"),
                row(1, "dynamo: cannot reach '{closed}' (us-east-1) while describing table '{orders}' (connection refused): check that "
                        + "DynamoDB is running there and the --env/--endpoint-url is right", "query -t {orders} --pk a -e {closed}"),
                row(1, "dynamo: cannot get AWS credentials for 'nokeys' ({closed}, eu-west-1) while describing table '{orders}', from "
                        + "profile 'nokeys' (access keys): Profile property 'aws_secret_access_key' was not configured for 'nokeys'; "
                        + "fix the profile (aws configure "
                        + "--profile NAME, aws sso login --profile NAME) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                        "query -t {orders} --pk a -e nokeys"),
                row(1, "dynamo: access denied in '{denied}' (us-east-1) while describing table '{orders}': User: "
                        + "arn:aws:iam::123456789012:user/test is not authorized to perform this action (grant the permission, or use "
                        + "another profile)", "query -t {orders} --pk a -e {denied}"),
                row(2, "dynamo: option '--sk-between' at index 0 (LOW HIGH) requires at least 2 values, but only 1 were specified: [1] "
                        + "(see 'dynamo query --help')", QUERY + "--pk a --sk-between 1"),
                row(2, "dynamo: --limit must be a positive number of items, not 0", QUERY + "--pk a --limit 0"),
                row(2, "dynamo: the partition key is given twice (--pk a and b): give it once, as --pk VALUE or as the positional "
                        + "argument", QUERY + "--pk a b"),
                row(2, "dynamo: only one sort-key condition is allowed, but --sk-lt and --sk-gt were given; use --sk-between LOW HIGH "
                        + "for a range", QUERY + "--pk a --sk-gt 1 --sk-lt 5"),
                row(2, "dynamo: cannot read --where 'status ~ open': expected PATH OP VALUE with OP one of = != < <= > >= begins_with "
                        + "contains, or PATH exists / PATH not_exists (e.g. --where 'status = active')",
                        QUERY + "--pk a --where 'status ~ open'"),
                row(2, "dynamo: Invalid value for option '--output': 'xml' is not an output format for query; expected one of "
                        + "summary, json, jsonl, ddb, table (see 'dynamo query --help')", QUERY + "--pk a -o xml"),
                row(2, "dynamo: --consistent is not allowed on global secondary index 'byStatus': GSIs only support eventually "
                        + "consistent reads; drop --consistent, or query the table or an LSI", QUERY + "-i byStatus --pk open --consistent"),
                row(2, "dynamo: --sk matches a prefix (begins_with), which DynamoDB allows only on string and binary keys, but sort key "
                        + "'sk' is a number: use --sk-eq, --sk-lt, --sk-le, --sk-gt, --sk-ge or --sk-between", QUERY + "--pk a --sk 1"),

                // --- copy ---
                row(2, "dynamo: unknown option '--thread'; did you mean '--threads'? (see 'dynamo copy --help')", COPY + "--thread 4"),
                row(2, "dynamo: Missing required option: '--target=ENV' (see 'dynamo copy --help')", "copy -t {orders} --source {src}"),
                row(2, "dynamo: --threads must be 1 to 512, not 0", COPY + "--threads 0"),
                row(2, "dynamo: --threads must be 1 to 512, not -3", COPY + "--threads -3"),
                row(2, "dynamo: --segments must be 1 to 100,000, not 0"
                        + SEGMENTS_WHY, COPY + "--segments 0"),
                row(2, "dynamo: --segments must be 1 to 100,000, not -1"
                        + SEGMENTS_WHY, COPY + "--segments -1"),
                row(2, "dynamo: Invalid value for option '--max-wcu': '0' capacity units per second: give a positive number up to "
                        + "10,000,000 (see 'dynamo copy --help')", COPY + "--max-wcu 0"),
                row(2, "dynamo: --page-size must be a positive number of items, not 0", COPY + "--page-size 0"),
                row(2, "dynamo: Invalid value for option '--request-timeout': 'soon' is not a timeout: give seconds (30, 2.5) or "
                        + "milliseconds (500ms) (see 'dynamo copy --help')", COPY + "--request-timeout soon"),
                row(2, "dynamo: --max-retries must be 0 or more, not -1", COPY + "--max-retries -1"),
                row(2, "dynamo: Invalid value for option '--request-timeout': '0': a timeout must be 100ms to 900s "
                        + "(see 'dynamo copy --help')", COPY + "--request-timeout 0"),
                row(2, "dynamo: target table 'NoSuchTarget' not found in '{tgt}' (us-east-1); add --create-table to create it from the "
                        + "source's definition, or name an existing table with --target-table",
                        "copy -t {orders} --target-table NoSuchTarget --source {src} --target {tgt} --yes --backup-dir {dir}"),
                row(2, "dynamo: the source and the target are the same table (both are table '{orders}' at {src}): a copy onto itself "
                        + "would delete what it copies; name another target with --target or --target-table",
                        "copy -t {orders} --source {src} --target {src} --yes --backup-dir {dir}"),
                row(2, "dynamo: --dead-letter {file}/failed.jsonl cannot be written ({file} is a file, not a directory); choose another "
                        + "path; nothing was changed", COPY + "--dead-letter {file}/failed.jsonl"),
                row(2, "dynamo: --dead-letter {link} cannot be written (it is a symbolic link, which dynamo does not write through); "
                        + "choose another path; nothing was changed", COPY + "--dead-letter {link}"),
                // A file of the user's given as --checkpoint: a new copy would replace it, and a finished one delete it.
                row(2, "dynamo: cannot write the checkpoint {file}: it holds something other than a dynamo checkpoint, which the copy "
                        + "would replace and then delete; choose another file with --checkpoint FILE; nothing was changed",
                        COPY + "--checkpoint {file}"),
                row(2, "dynamo: --backup-dir {file} cannot be written (it is a file, not a directory); choose another path; nothing was "
                        + "changed", "copy -t {orders} --target-table {target} --source {src} --target {tgt} --yes --backup-dir {file}"),
                row(2, "dynamo: Invalid value for option '--billing-mode': 'cheap': expected on-demand, provisioned, or "
                        + "provisioned:READ,WRITE (for example provisioned:5,5) (see 'dynamo copy --help')",
                        COPY + "--create-table --billing-mode cheap"),
                row(2, "dynamo: Invalid value for option '--mode': 'mirror' is not a copy mode; expected one of replace, merge "
                        + "(see 'dynamo copy --help')", COPY + "--mode mirror"),
                row(2, "dynamo: partition key 'code' of index 'byCode' is a number (N) key, but 'seven' is not a number",
                        COPY + "-i byCode --pk seven"),
                row(2, "dynamo: the partition key is given twice (--pk a and b): give it once, as --pk VALUE or as the positional "
                        + "argument", COPY + "--pk a b"),
                row(2, "dynamo: only one sort-key condition is allowed, but --sk-eq and --sk-gt were given; use --sk-between LOW HIGH "
                        + "for a range", COPY + "--pk a --sk-eq 1 --sk-gt 0"),
                row(2, "dynamo: --sk-eq selects items of one partition: add --pk VALUE, or drop it to copy the whole table",
                        COPY + "--sk-eq 1"),
                row(2, "dynamo: cannot read --where 'total >': > needs a value after it", COPY + "--pk a --where 'total >'"),
                row(1, "dynamo: access denied in '{denied}' (us-east-1) while describing table '{orders}': User: "
                        + "arn:aws:iam::123456789012:user/test is not authorized to perform this action (grant the permission, or use "
                        + "another profile)",
                        "copy -t {orders} --target-table {target} --source {denied} --target {tgt} --yes --backup-dir {dir}"),
                row(1, "dynamo: the credentials for '{expired}' (us-east-1) have expired (ExpiredTokenException) while describing table "
                        + "'{orders}': refresh them (aws sso login --profile ..., or new session keys) and run again",
                        "copy -t {orders} --target-table {target} --source {expired} --target {tgt} --yes --backup-dir {dir}"),
                row(1, "dynamo: cannot reach '{closed}' (us-east-1) while describing table '{target}' (connection refused): check that "
                        + "DynamoDB is running there and the --env/--endpoint-url is right",
                        "copy -t {orders} --target-table {target} --source {src} --target {closed} --yes --backup-dir {dir}"),
                // An item the target refuses is kept in the dead-letter file (here outside the checked directories), never lost.
                row(1, "dynamo: 1 item could not be written; it is in {elsewhere}/refused.jsonl (DynamoDB JSON lines, with the error "
                        + "of each)", "copy -t {wide} --target-table {target} --source {src} --target {tgt} --mode merge -q "
                        + "--backup-dir {dir} --dead-letter {elsewhere}/refused.jsonl"),
                row(2, "dynamo: this copy would delete every item{aboutTarget} of table '{target}' in '{tgt}' (us-east-1) and replace them with those "
                        + "of table '{orders}' in '{src}' (us-east-1), which needs consent: run it again with --yes (a backup is made "
                        + "first), or use --mode merge to keep the target's items, or --dry-run to see the plan; nothing was changed",
                        "copy -t {orders} --target-table {target} --source {src} --target {tgt} --backup-dir {dir}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void printsOneLine_exitsWithItsCode_andWritesNothing(BadInput input) throws IOException {
        List<String> args = split(fill(input.args()));
        Map<String, Map<String, AttributeValue>> targetBefore = CopyFixtures.itemsByKey(other.client(), target, List.of("pk", "sk"));
        List<String> filesBefore = files();

        CommandResult result = Cli.isolated(home).run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as("exit code of %s", result).isEqualTo(input.exitCode());
        assertThat(result.stderr()).as("stderr of %s", result).isEqualTo(fill(input.stderr()) + "\n");
        assertThat(result.stdout()).as("stdout of %s", result).isEmpty();
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk", "sk"))).as("target after %s", result)
                .isEqualTo(targetBefore);
        assertThat(files()).as("files after %s", result).isEqualTo(filesBefore);
    }

    private static String fill(String text) {
        String filled = text;
        for (Map.Entry<String, String> place : PLACES.entrySet()) {
            filled = filled.replace(place.getKey(), place.getValue());
        }
        return filled;
    }

    /** Splits on spaces; 'single quotes' group words. */
    private static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    args.add(current.toString());
                }
                current.setLength(0);
                any = false;
            } else {
                current.append(c);
                any = true;
            }
        }
        if (any) {
            args.add(current.toString());
        }
        return args;
    }

    /** Every file under the backup directory and the home directory, and the working directory's top level. */
    private static List<String> files() throws IOException {
        List<String> files = new ArrayList<>();
        for (Path root : List.of(dir, home)) {
            try (Stream<Path> walk = Files.walk(root)) {
                // A copy that ran creates ~/.dynamo/checkpoints for its checkpoint (deleted when it ends): only files count there.
                walk.filter(path -> !(Files.isDirectory(path) && path.startsWith(home.resolve(".dynamo"))))
                        .map(Path::toString).sorted().forEach(files::add);
            }
        }
        try (Stream<Path> top = Files.list(Path.of("").toAbsolutePath())) {
            top.map(Path::toString).sorted().forEach(files::add);
        }
        return files;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
