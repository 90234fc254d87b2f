/**
 * Export and import: tables to files (a local folder or S3) in the layout of DynamoDB's export to S3, and such files
 * (DynamoDB's own exports, dynamo's, backups) back into tables, with the copy engine's readers and writers.
 */
package dev.dynamo.transfer;
