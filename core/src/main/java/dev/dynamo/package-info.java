/**
 * The dynamo engine as a Java library. What a script uses is marked {@code @API(status = STABLE)}; the
 * rest, public only so that neighbouring packages can share it, {@code @API(status = INTERNAL)}.
 * {@link dev.dynamo.DynamoException} carries the one-line message and exit code of every failure.
 */
package dev.dynamo;
