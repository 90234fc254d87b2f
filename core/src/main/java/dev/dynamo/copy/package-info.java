/**
 * Copy jobs: plan, whole-table and selection copy, writer, backup, create-table, checkpoints and resume.
 */
package dev.dynamo.copy;
