output "kms_key_arn" {
  description = "ARN of the stack's customer-managed KMS key."
  value       = aws_kms_key.main.arn
}

output "store_bucket" {
  description = "Name of the Amazon S3 bucket."
  value       = aws_s3_bucket.store.bucket
}

output "train_repository_url" {
  description = "ECR repository of the SageMaker Training image."
  value       = aws_ecr_repository.train.repository_url
}

output "train_role_arn" {
  description = "Role the SageMaker Training jobs run as."
  value       = aws_iam_role.train.arn
}

output "serve_endpoint_name" {
  description = "Name of the SageMaker Endpoint."
  value       = aws_sagemaker_endpoint.serve.name
}

output "observe_log_group" {
  description = "Log group of the application."
  value       = aws_cloudwatch_log_group.observe.name
}

output "observe_alarm_topic_arn" {
  description = "SNS topic alarms publish to."
  value       = aws_sns_topic.observe_alarms.arn
}

output "image_repository" {
  description = "Repository of the service images (push <this>:<commit SHA>)."
  value       = aws_ecr_repository.images.repository_url
}
