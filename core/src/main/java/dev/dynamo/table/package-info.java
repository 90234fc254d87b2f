/**
 * Table and index schemas, key attributes and types, and the value equality and digests that compare items.
 */
package dev.dynamo.table;
