/**
 * The query engine: key conditions, filters, pagination and tallies over a table or a secondary index.
 */
package dev.dynamo.query;
