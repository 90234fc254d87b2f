package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.Environment;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import dev.dynamo.table.TableSchema;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The restore command a file backup's notice prints starts with the program as the person runs it. */
class RestoreCommandTest {
    private static final Environment LOCAL = new Environment("http://localhost:8000", null, Region.US_EAST_1,
            URI.create("http://localhost:8000"), AnonymousCredentialsProvider.create());
    private static final TableRef ORDERS = new TableRef(LOCAL, null, TableSchema.builder().name("Orders")
            .environment(LOCAL.describe()).keys(new KeySchema(new KeyAttribute("pk", KeyType.S), null)).indexes(List.of())
            .billingMode("PAY_PER_REQUEST").status("ACTIVE").build(), null, null);
    private static final Path FILE = Path.of("/home/me/.dynamo/backups/Orders-20261201-101500.jsonl.gz");

    @Test
    void startsWithDynamo_byDefault() {
        String program = CopyPlan.builder("Orders").build().program();

        assertThat(program).isEqualTo("dynamo");
        assertThat(CopyRun.restoreCommand(program, ORDERS, FILE)).isEqualTo("dynamo import -t Orders -e http://localhost:8000 "
                + "--from /home/me/.dynamo/backups/Orders-20261201-101500.jsonl.gz --mode replace --yes");
    }

    @Test
    void startsWithTheProgramAsTyped_whenThePlanNamesOne() {
        String program = CopyPlan.builder("Orders").program("./dynamo").build().toBuilder().build().program();

        assertThat(CopyRun.restoreCommand(program, ORDERS, FILE)).startsWith("./dynamo import -t Orders -e ");
    }

    @Test
    void quotesTheProgram_whenItsPathHasASpace() {
        String program = CopyPlan.builder("Orders").program("/opt/my tools/dynamo").build().program();

        assertThat(CopyRun.restoreCommand(program, ORDERS, FILE)).startsWith("'/opt/my tools/dynamo' import -t Orders -e ");
    }

    @Test
    void namesDynamo_whenTheProgramIsBlank() {
        assertThat(CopyPlan.builder("Orders").program(" ").build().program()).isEqualTo("dynamo");
        assertThat(CopyPlan.builder("Orders").program(null).build().program()).isEqualTo("dynamo");
    }
}
