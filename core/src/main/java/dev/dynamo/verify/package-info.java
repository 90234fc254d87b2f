/**
 * Comparing two tables, or two selections, by key with bounded memory.
 */
package dev.dynamo.verify;
