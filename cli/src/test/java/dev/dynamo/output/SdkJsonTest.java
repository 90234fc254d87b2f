package dev.dynamo.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The SDK model as the service's JSON, golden, and read back through the same fields. */
class SdkJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final TableDescription TABLE = TableDescription.builder()
            .tableName("Orders")
            .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("total").attributeType(ScalarAttributeType.N))
            .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
            .tableStatus(TableStatus.ACTIVE)
            .creationDateTime(Instant.ofEpochSecond(1_733_050_000L, 123_000_000))
            .provisionedThroughput(p -> p.readCapacityUnits(0L).writeCapacityUnits(0L).numberOfDecreasesToday(0L))
            .billingModeSummary(b -> b.billingMode(BillingMode.PAY_PER_REQUEST))
            .itemCount(50_000L)
            .tableSizeBytes(1_234_567L)
            .tableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Orders")
            .globalSecondaryIndexes(g -> g.indexName("byTotal").keySchema(k -> k.attributeName("total").keyType(KeyType.HASH))
                    .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("note")))
            .build();

    @Test
    void printsDescribeTablesShape_withTheWireNames_epochSeconds_andNoAbsentField() {
        assertThat(SdkJson.pretty(DescribeTableResponse.builder().table(TABLE).build())).isEqualTo("""
                {
                  "Table": {
                    "AttributeDefinitions": [
                      {
                        "AttributeName": "pk",
                        "AttributeType": "S"
                      },
                      {
                        "AttributeName": "total",
                        "AttributeType": "N"
                      }
                    ],
                    "TableName": "Orders",
                    "KeySchema": [
                      {
                        "AttributeName": "pk",
                        "KeyType": "HASH"
                      }
                    ],
                    "TableStatus": "ACTIVE",
                    "CreationDateTime": 1733050000.123,
                    "ProvisionedThroughput": {
                      "NumberOfDecreasesToday": 0,
                      "ReadCapacityUnits": 0,
                      "WriteCapacityUnits": 0
                    },
                    "TableSizeBytes": 1234567,
                    "ItemCount": 50000,
                    "TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/Orders",
                    "BillingModeSummary": {
                      "BillingMode": "PAY_PER_REQUEST"
                    },
                    "GlobalSecondaryIndexes": [
                      {
                        "IndexName": "byTotal",
                        "KeySchema": [
                          {
                            "AttributeName": "total",
                            "KeyType": "HASH"
                          }
                        ],
                        "Projection": {
                          "ProjectionType": "INCLUDE",
                          "NonKeyAttributes": [
                            "note"
                          ]
                        }
                      }
                    ]
                  }
                }""");
    }

    @Test
    void readsBack_whatItWrote() throws Exception {
        DescribeTableResponse response = DescribeTableResponse.builder().table(TABLE).build();
        JsonNode json = JSON.readTree(SdkJson.pretty(response));
        assertThat(SdkJson.read(json, DescribeTableResponse::builder, DescribeTableResponse.class).table()).isEqualTo(TABLE);
    }

    @Test
    void writesEveryMarshallingKind_andReadsItBack() throws Exception {
        // AttributeValue holds binary, maps, lists, booleans and sets: every kind a model field can have but a timestamp.
        AttributeValue value = AttributeValue.fromM(Map.of(
                "b", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromBool(true), AttributeValue.fromNul(true))),
                "ns", AttributeValue.fromNs(List.of("1", "2.5")),
                "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x")))));
        String printed = SdkJson.pretty(value);
        assertThat(JSON.readTree(printed).at("/M/b/B").asText()).isEqualTo("aGk=");
        assertThat(JSON.readTree(printed).at("/M/l/L/0/BOOL").asBoolean()).isTrue();
        assertThat(SdkJson.read(JSON.readTree(printed), AttributeValue::builder, AttributeValue.class)).isEqualTo(value);
    }

    @Test
    void writesAWholeSecond_asAnInteger() {
        assertThat(SdkJson.epochSeconds(Instant.ofEpochSecond(1_733_050_000L))).hasToString("1733050000");
        assertThat(SdkJson.epochSeconds(Instant.ofEpochSecond(1_733_050_000L, 500_000_000))).hasToString("1733050000.5");
    }

    @Test
    void refusesAKeyTheModelDoesNotHave() throws Exception {
        assertThatThrownBy(() -> SdkJson.read(JSON.readTree("{\"Table\": {\"TableNme\": \"x\"}}"), DescribeTableResponse::builder,
                DescribeTableResponse.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TableNme");
    }
}
