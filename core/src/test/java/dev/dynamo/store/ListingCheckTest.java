package dev.dynamo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Listing pages as a damaged or misbehaving S3 endpoint could send them (S3Proxy never does, so they
 * are built here): each is refused with one line, never silently believed.
 */
class ListingCheckTest {
    private static final S3Location WHERE = new S3Location("exports", "orders/");

    private static ListingCheck check() {
        return new ListingCheck(WHERE, "orders/data/", "s3://exports/orders/data/");
    }

    private static S3Object object(String key, Long size) {
        return S3Object.builder().key(key).size(size).eTag("\"abc\"").build();
    }

    private static ListObjectsV2Response page(Boolean truncated, String token, S3Object... objects) {
        return ListObjectsV2Response.builder().isTruncated(truncated).nextContinuationToken(token).contents(objects).build();
    }

    private static void assertDamaged(Runnable accept, String detail) {
        assertThatThrownBy(accept::run).isInstanceOfSatisfying(DynamoException.class, error -> {
            assertThat(error.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(error.getMessage()).doesNotContain("\n").contains("damaged listing of s3://exports/orders/data/", detail);
        });
    }

    @Test
    void acceptsPagesThatHoldTogether_andNamesObjectsUnderTheRoot() {
        ListingCheck check = check();

        assertThat(check.accept(page(true, "t1", object("orders/data/b.gz", 2L)))).isEqualTo("t1");
        assertThat(check.accept(page(false, null, object("orders/data/a.gz", 1L), object("orders/data/", 0L)))).isNull();

        assertThat(check.objects()).containsExactly(new StoredObject("data/a.gz", 1, "abc"), new StoredObject("data/b.gz", 2, "abc"));
        assertThat(check.pages()).isEqualTo(2);
    }

    @Test
    void refusesTruncatedPage_withoutContinuationToken() {
        assertDamaged(() -> check().accept(page(true, null, object("orders/data/a.gz", 1L))), "no continuation token");
        assertDamaged(() -> check().accept(page(true, "", object("orders/data/a.gz", 1L))), "no continuation token");
    }

    @Test
    void refusesPage_thatDoesNotSayWhetherMoreFollow() {
        assertDamaged(() -> check().accept(page(null, null, object("orders/data/a.gz", 1L))), "IsTruncated");
    }

    @Test
    void refusesKeyListedTwice_evenOnAnotherPage() {
        ListingCheck check = check();
        check.accept(page(true, "t1", object("orders/data/a.gz", 1L)));

        assertDamaged(() -> check.accept(page(false, null, object("orders/data/a.gz", 1L))), "'orders/data/a.gz' is listed twice");
    }

    @Test
    void refusesRepeatedContinuationToken() {
        ListingCheck check = check();
        check.accept(page(true, "t1", object("orders/data/a.gz", 1L)));

        assertDamaged(() -> check.accept(page(true, "t1", object("orders/data/b.gz", 1L))), "repeats an earlier continuation token");
    }

    @Test
    void refusesEntryWithoutKeyOrSize_orOutsideThePrefix() {
        assertDamaged(() -> check().accept(page(false, null, object(null, 1L))), "without a key");
        assertDamaged(() -> check().accept(page(false, null, object("orders/data/a.gz", null))), "no size");
        assertDamaged(() -> check().accept(page(false, null, object("orders/other/a.gz", 1L))), "outside the prefix");
    }

    @Test
    void refusesPage_whoseKeyCountDisagreesWithItsKeys() {
        ListObjectsV2Response page = page(false, null, object("orders/data/a.gz", 1L)).toBuilder().keyCount(2).build();

        assertDamaged(() -> check().accept(page), "says it holds 2 keys but holds 1");
    }
}
