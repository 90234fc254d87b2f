/**
 * DynamoDB JSON (one codec for raw pages, item files, backups, dead letters and checkpoints), Amazon Ion
 * items and the data files of DynamoDB's export to S3 in both its formats, raw items and their sizes, and
 * private files. Internal except {@link dev.dynamo.items.ItemFileReader}.
 */
package dev.dynamo.items;
