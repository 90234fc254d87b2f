// The script of an AWS Glue 5 Scala job that runs dynamo-spark (upload it to S3 as the job's script).
// Job parameters: --job-language scala, --class DynamoGlueJob, --extra-jars s3://BUCKET/dynamo-spark.jar, and
// --dynamo with dynamo-spark's arguments, e.g. --dynamo 'copy -t Orders --source https://dynamodb.us-east-1.amazonaws.com
// --target https://dynamodb.eu-west-1.amazonaws.com --source-region us-east-1 --target-region eu-west-1 --mode merge'.
// Glue's own parameters (--JOB_ID, --TempDir, ...) are ignored. A failed copy throws, so Glue marks the run failed.
object DynamoGlueJob {
  def main(sysArgs: Array[String]): Unit = dev.dynamo.spark.GlueJob.main(sysArgs)
}
