/**
 * Where export files live: a local directory or an S3 prefix, behind one small interface
 * ({@link dev.dynamo.store.ExportStore}), so that export and import read and write both the same way (internal).
 */
package dev.dynamo.store;
