package dev.dynamo.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class ServiceErrorsTest {
    private static final Environment DEV = new Environment("dev", "dev", Region.EU_WEST_1, null, AnonymousCredentialsProvider.create());
    private static final Environment LOCAL = new Environment("http://localhost:8000", null, Region.US_EAST_1,
            URI.create("http://localhost:8000"), AnonymousCredentialsProvider.create());

    @Test
    void saysTheCredentialsWereRejected_forSignatureAndKeyErrors() {
        for (String code : new String[] {"UnrecognizedClientException", "InvalidSignatureException", "MissingAuthenticationToken"}) {
            assertThat(translate(DEV, service(code, "The security token included in the request is invalid.", 400)))
                    .isEqualTo("the credentials for 'dev' (eu-west-1) were rejected (" + code + ") while listing tables: check the "
                            + "profile's keys, or refresh them (aws sso login, aws configure)");
        }
    }

    @Test
    void saysTheCredentialsExpired() {
        assertThat(translate(DEV, service("ExpiredTokenException", "The security token included in the request is expired", 400)))
                .startsWith("the credentials for 'dev' (eu-west-1) have expired (ExpiredTokenException) while listing tables: ");
    }

    @Test
    void saysAccessWasDenied_withDynamoDbsReason() {
        assertThat(translate(DEV, service("AccessDeniedException", "User: arn:aws:iam::1:user/x is not authorized to perform: "
                + "dynamodb:ListTables\nsecond line", 400))).isEqualTo("access denied in 'dev' (eu-west-1) while listing tables: "
                + "User: arn:aws:iam::1:user/x is not authorized to perform: dynamodb:ListTables (grant the permission, or use "
                + "another profile)");
    }

    @Test
    void namesAnyOtherErrorCode() {
        assertThat(translate(DEV, service("ProvisionedThroughputExceededException", "Rate exceeded", 400)))
                .isEqualTo("DynamoDB in 'dev' (eu-west-1) answered ProvisionedThroughputExceededException while listing tables: "
                        + "Rate exceeded");
    }

    @Test
    void saysWhichEndpointCannotBeReached() {
        SdkClientException refused = SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused"));
        assertThat(translate(LOCAL, refused)).isEqualTo("cannot reach 'http://localhost:8000' (us-east-1) "
                + "while listing tables (connection refused): check that DynamoDB is running there and the --env/--endpoint-url is right");
        SdkClientException unknown = SdkClientException.create("Unable to execute HTTP request",
                new UnknownHostException("dynamodb.nowhere.example"));
        assertThat(translate(DEV, unknown)).startsWith("cannot reach the AWS endpoint for 'dev' (eu-west-1) while listing tables "
                + "(unknown host dynamodb.nowhere.example)");
    }

    @Test
    void saysCredentialsCouldNotBeHad_evenWhenTheSdkWrapsTheError() {
        SdkClientException credentials = SdkClientException.create(
                CheckedCredentialsProvider.FAILURE_PREFIX + "profile 'dev' (role_arn): unknown host sts.eu-west-1.amazonaws.com",
                new UnknownHostException("sts.eu-west-1.amazonaws.com"));
        SdkClientException wrapped = SdkClientException.create("Received an UnknownHostException when attempting to interact with "
                + "a service.", credentials);
        assertThat(translate(DEV, wrapped)).isEqualTo("cannot get AWS credentials for 'dev' (eu-west-1) while listing tables, from "
                + "profile 'dev' (role_arn): unknown host sts.eu-west-1.amazonaws.com; fix the profile (aws configure --profile NAME, "
                + "aws sso login --profile NAME) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void keepsOnlyTheFirstLine_withoutTheSdksRequestMetadata() {
        assertThat(ServiceErrors.oneLine("Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: X)\nmore"))
                .isEqualTo("Requested resource not found");
        assertThat(ServiceErrors.oneLine(null)).isEmpty();
    }

    private static String translate(Environment environment, software.amazon.awssdk.core.exception.SdkException error) {
        DynamoException translated = ServiceErrors.translate(environment, "listing tables", error);
        assertThat(translated.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(translated.getCause()).isSameAs(error);
        assertThat(translated.getMessage()).doesNotContain("\n");
        return translated.getMessage();
    }

    private static AwsServiceException service(String code, String message, int status) {
        return AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .statusCode(status)
                .message(message)
                .build();
    }
}
