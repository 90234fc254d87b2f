package dev.dynamo.testing;

import java.util.List;

/**
 * What the tests must stay within because of the engine under them.
 *
 * <p>dynalite splits a table into 4,096 hash ranges for a parallel Scan (scan.js: a segment covers
 * {@code ceil(4096 * Segment / TotalSegments)} up to the next), so with more than 4,096 segments the
 * ranges overlap and Scan returns items more than once. DynamoDB allows 1,000,000. A test that asked
 * dynamo for more would see duplicates that are the engine's, not dynamo's: the harness refuses it.
 */
public final class EngineLimits {
    /** The most scan segments for which dynalite returns every item exactly once. */
    public static final int MAX_DYNALITE_SEGMENTS = 4096;
    /** The most dynamo takes (DynamoDB allows 1,000,000): above it a usage error, which tests may check. */
    private static final int MAX_DYNAMODB_SEGMENTS = 100_000;

    private EngineLimits() {
    }

    /** Throws when {@code args} ask for more segments than dynalite serves correctly (and dynamo would accept). */
    static void checkSegments(List<String> args) {
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--segments")) {
                long segments;
                try {
                    segments = Long.parseLong(args.get(i + 1));
                } catch (NumberFormatException e) {
                    continue;  // a bad value: dynamo's own error is what such a test checks
                }
                if (segments > MAX_DYNALITE_SEGMENTS && segments <= MAX_DYNAMODB_SEGMENTS) {
                    throw new IllegalArgumentException("--segments " + segments + ": dynalite returns items more than once"
                            + " with more than " + MAX_DYNALITE_SEGMENTS + " scan segments; keep tests at or below "
                            + MAX_DYNALITE_SEGMENTS + " (see EngineLimits)");
                }
            }
        }
    }
}
