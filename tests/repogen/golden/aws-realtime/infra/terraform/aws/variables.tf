variable "project" {
  description = "Project name, used as the prefix of every resource name."
  type        = string
  default     = "realtime-on-aws"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "dev"
}

variable "region" {
  description = "AWS region of every resource."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Extra tags merged into every resource's tags."
  type        = map(string)
  default     = {}
}

variable "store_bucket_suffix" {
  description = "Suffix of the Amazon S3 bucket name (names are global)."
  type        = string
  default     = "store"
}

variable "serve_image_uri" {
  description = "Inference container image (ECR URI) of the SageMaker Endpoint."
  type        = string
}

variable "serve_model_data_url" {
  description = "S3 URL of the model artifact served by the SageMaker Endpoint."
  type        = string
}

variable "serve_instance_type" {
  description = "Instance type of the endpoint's production variant."
  type        = string
  default     = "ml.c5.xlarge"
}

variable "serve_instance_count" {
  description = "Initial instance count (autoscaling adjusts it)."
  type        = number
  default     = 2
}

variable "observe_log_retention_days" {
  description = "Retention of the application log group."
  type        = number
  default     = 365
}
