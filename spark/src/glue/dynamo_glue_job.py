# The script of an AWS Glue 5 Python (Spark) job that runs dynamo-spark (upload it to S3 as the job's script).
# Job parameters: --extra-jars s3://BUCKET/dynamo-spark.jar, and --dynamo with dynamo-spark's arguments, e.g.
# --dynamo 'copy -t Orders --source https://dynamodb.us-east-1.amazonaws.com --target https://dynamodb.eu-west-1.amazonaws.com
# --source-region us-east-1 --target-region eu-west-1 --mode merge'.
# The job runs in the driver's JVM (dev.dynamo.spark.GlueJob, through py4j) on this job's Spark context; Glue's own
# parameters (--JOB_ID, --TempDir, ...) are ignored. A failed copy raises, so Glue marks the run failed.
import sys

from pyspark.context import SparkContext

sc = SparkContext.getOrCreate()
arguments = sc._gateway.new_array(sc._gateway.jvm.java.lang.String, len(sys.argv) - 1)
for index, argument in enumerate(sys.argv[1:]):
    arguments[index] = argument
sc._jvm.dev.dynamo.spark.GlueJob.main(arguments)
