variable "gcp_project_id" {
  description = "Google Cloud project that hosts the stack."
  type        = string
}

variable "project" {
  description = "Project name, used as the prefix of every resource name."
  type        = string
  default     = "batch-on-gcp"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "dev"
}

variable "region" {
  description = "Google Cloud region of every resource."
  type        = string
  default     = "europe-west1"
}

variable "labels" {
  description = "Extra labels merged into every resource's labels."
  type        = map(string)
  default     = {}
}

variable "batch_image" {
  description = "Container image (Artifact Registry) of the Cloud Run job."
  type        = string
}

variable "observe_alert_email" {
  description = "Address that receives the stack's alerts."
  type        = string
}
