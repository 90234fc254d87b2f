/**
 * What every bulk job shares: scan segments, the bounded page pipeline, batches, the retrier and backoff,
 * the capacity limiter, table references and checks. Internal except the plan settings
 * ({@link dev.dynamo.pipeline.ReadPlan}) and a job's progress ({@link dev.dynamo.pipeline.JobCounters.Snapshot}).
 */
package dev.dynamo.pipeline;
