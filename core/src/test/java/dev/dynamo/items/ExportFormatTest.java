package dev.dynamo.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExportFormatTest {

    @Test
    void namesEachFormat_asTheManifestDoes() {
        assertThat(ExportFormat.DYNAMODB_JSON.awsName()).isEqualTo("DYNAMODB_JSON");
        assertThat(ExportFormat.ION.awsName()).isEqualTo("ION");
        assertThat(ExportFormat.fromAwsName("DYNAMODB_JSON")).isEqualTo(ExportFormat.DYNAMODB_JSON);
        assertThat(ExportFormat.fromAwsName("ION")).isEqualTo(ExportFormat.ION);
    }

    @Test
    void suffixesDataFiles_asDynamoDbNamesThem() {
        assertThat(ExportFormat.DYNAMODB_JSON.dataFileSuffix()).isEqualTo(".json.gz");
        assertThat(ExportFormat.ION.dataFileSuffix()).isEqualTo(".ion.gz");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CSV", "ion", "dynamodb_json", "", " ION"})
    void refusesAnUnknownOutputFormat_namingItAndTheKnownOnes(String name) {
        assertThatThrownBy(() -> ExportFormat.fromAwsName(name))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("unknown export output format '" + name + "': expected DYNAMODB_JSON or ION");
    }

    @Test
    void refusesAMissingOutputFormat() {
        assertThatThrownBy(() -> ExportFormat.fromAwsName(null)).isInstanceOf(DynamoException.class)
                .hasMessage("unknown export output format (none): expected DYNAMODB_JSON or ION");
    }

    @ParameterizedTest
    @CsvSource({
            "data/abc.json.gz, DYNAMODB_JSON",
            "abc.json, DYNAMODB_JSON",
            "abc.jsonl, DYNAMODB_JSON",
            "abc.jsonl.gz, DYNAMODB_JSON",
            "s3://b/p/AWSDynamoDB/01234567890123-a1b2c3d4/data/bafy.JSON.GZ, DYNAMODB_JSON",
            "abc.ion, ION",
            "abc.ion.gz, ION",
            "ABC.Ion.Gz, ION"})
    void tellsTheFormat_fromADataFileName(String name, ExportFormat format) {
        assertThat(ExportFormat.ofFileName(name)).contains(format);
    }

    @ParameterizedTest
    @ValueSource(strings = {"manifest-summary.checksum", "abc.csv.gz", "abc.gz", "abc.json.zst", "abc.ion.bak", "json", "_started", ""})
    void tellsNothing_fromOtherNames(String name) {
        assertThat(ExportFormat.ofFileName(name)).isEqualTo(Optional.empty());
    }
}
