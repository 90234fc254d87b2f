package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.Environment;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * When two described tables are one: by table id where the engine gives one (DynamoDB, dynalite), by
 * ARN on AWS, and by endpoint where neither tells (DynamoDB Local gives no table id, and every local
 * engine puts account 000000000000 in its ARNs).
 */
class TableIdentityTest {
    private static Environment endpoint(String url) {
        return new Environment(url, null, Region.US_EAST_1, URI.create(url), null);
    }

    private static Environment profile(String profile, Region region) {
        return new Environment(profile, profile, region, null, null);
    }

    private static TableDescription table(String name, String id, String arn) {
        return TableDescription.builder().tableName(name).tableId(id).tableArn(arn).build();
    }

    @Test
    void isTheSameTable_whenTheEnginesGiveOneTableId() {
        assertThat(TableIdentity.sameTable(endpoint("http://127.0.0.1:8000"), table("a", "id-1", null),
                endpoint("http://127.0.0.1:8001"), table("b", "id-1", null))).isEqualTo("both have table id id-1");
    }

    @Test
    void namesTheTableAndEndpoint_beforeTheTableId_whenBothTell() {
        assertThat(TableIdentity.sameTable(endpoint("http://127.0.0.1:8000"), table("Orders", "id-1", null),
                endpoint("http://localhost:8000"), table("Orders", "id-1", null))).isEqualTo("both are table 'Orders' at http://127.0.0.1:8000");
    }

    @Test
    void isTheSameTable_atOneLocalEndpointSpelledTwoWays_withoutTableIds() {
        String localArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders";
        for (String other : new String[] {"http://localhost:8000", "http://127.0.0.1:8000/", "http://127.0.0.2:8000"}) {
            assertThat(TableIdentity.sameTable(endpoint("http://127.0.0.1:8000"), table("Orders", null, localArn), endpoint(other),
                    table("Orders", null, localArn))).as(other).isEqualTo("both are table 'Orders' at http://127.0.0.1:8000");
        }
    }

    @Test
    void isNotTheSameTable_onTwoLocalEnginesWithLookalikeArns() {
        String localArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders";
        assertThat(TableIdentity.sameTable(endpoint("http://127.0.0.1:8000"), table("Orders", "id-1", localArn),
                endpoint("http://127.0.0.1:8001"), table("Orders", "id-2", localArn))).isNull();
        assertThat(TableIdentity.sameTable(endpoint("http://127.0.0.1:8000"), table("Orders", "id-1", null),
                endpoint("http://127.0.0.1:8000"), table("Other", "id-2", null))).isNull();
    }

    @Test
    void isTheSameTable_onAwsByArn_orBySameProfileAndRegion() {
        String arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";
        assertThat(TableIdentity.sameTable(profile("prod", Region.EU_WEST_1), table("Orders", null, arn),
                profile("prod-admin", Region.EU_WEST_1), table("Orders", null, arn))).isEqualTo("both are " + arn);
        assertThat(TableIdentity.sameTable(profile("prod", Region.EU_WEST_1), table("Orders", null, null),
                profile("prod", Region.EU_WEST_1), table("Orders", null, null)))
                .isEqualTo("both are table 'Orders' of the same profile and region");
        assertThat(TableIdentity.sameTable(profile("prod", Region.EU_WEST_1), table("Orders", null, arn),
                profile("dev", Region.EU_WEST_1), table("Orders", null, arn.replace("123456789012", "210987654321")))).isNull();
    }
}
