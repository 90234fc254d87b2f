/**
 * dynamo's jobs on Apache Spark: the entry point {@link dev.dynamo.spark.DynamoSpark}, the driver's job runner and the
 * executors' segment tasks. Depends on {@code dynamo-core} only; Spark's Java API only (no Scala code), so one jar runs
 * on Scala 2.12 and 2.13 builds of Spark 3.5.
 */
package dev.dynamo.spark;
