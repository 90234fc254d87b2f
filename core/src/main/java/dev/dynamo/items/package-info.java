/**
 * DynamoDB JSON (one codec for raw pages, item files, backups, dead letters and checkpoints), raw items
 * and their sizes, and private files. Internal except {@link dev.dynamo.items.ItemFileReader}.
 */
package dev.dynamo.items;
