output "kms_key_id" {
  description = "Customer-managed key that encrypts the stack's data."
  value       = google_kms_crypto_key.main.id
}

output "store_bucket" {
  description = "Name of the Cloud Storage bucket."
  value       = google_storage_bucket.store.name
}

output "train_repository" {
  description = "Artifact Registry repository of the Vertex AI Training image."
  value       = google_artifact_registry_repository.train.id
}

output "train_service_account" {
  description = "Service account the Vertex AI Training jobs run as."
  value       = google_service_account.train.email
}

output "batch_job" {
  description = "Name of the Cloud Run job."
  value       = google_cloud_run_v2_job.batch.name
}

output "observe_channel" {
  description = "Notification channel of the stack's alerts."
  value       = google_monitoring_notification_channel.observe.id
}

output "image_repository" {
  description = "Repository of the service images (push <this>:<commit SHA>)."
  value       = "${var.region}-docker.pkg.dev/${var.gcp_project_id}/${google_artifact_registry_repository.images.repository_id}/runtime"
}
