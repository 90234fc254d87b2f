/**
 * Environments (a profile, an endpoint URL, a region) and the one DynamoDB client of each; the checks every
 * answer passes before it is believed (internal).
 */
package dev.dynamo.env;
