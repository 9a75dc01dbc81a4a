# Least-privilege IAM (repogen/data/iam_gcp.toml): each service account gets predefined
# roles on the stack's own resources (the project only where GCP has no narrower
# scope); the service agents of CMEK-encrypted services get the stack's key.

resource "google_storage_bucket_iam_member" "train_storage_objectuser_store" {
  bucket = google_storage_bucket.store.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.train.email}"
}

resource "google_kms_crypto_key_iam_member" "train_cloudkms_cryptokeyencrypterdecrypter" {
  crypto_key_id = google_kms_crypto_key.main.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${google_service_account.train.email}"
}

resource "google_project_iam_member" "train_logging_logwriter" {
  project = var.gcp_project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.train.email}"
}

resource "google_project_iam_member" "train_monitoring_metricwriter" {
  project = var.gcp_project_id
  role    = "roles/monitoring.metricWriter"
  member  = "serviceAccount:${google_service_account.train.email}"
}

resource "google_project_iam_member" "train_aiplatform_user" {
  project = var.gcp_project_id
  role    = "roles/aiplatform.user"
  member  = "serviceAccount:${google_service_account.train.email}"
}

resource "google_artifact_registry_repository_iam_member" "train_artifactregistry_reader" {
  location   = var.region
  repository = google_artifact_registry_repository.train.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.train.email}"
}

resource "google_storage_bucket_iam_member" "batch_storage_objectuser_store" {
  bucket = google_storage_bucket.store.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_kms_crypto_key_iam_member" "batch_cloudkms_cryptokeyencrypterdecrypter" {
  crypto_key_id = google_kms_crypto_key.main.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_project_iam_member" "batch_logging_logwriter" {
  project = var.gcp_project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_project_iam_member" "batch_monitoring_metricwriter" {
  project = var.gcp_project_id
  role    = "roles/monitoring.metricWriter"
  member  = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_project_iam_member" "batch_aiplatform_user" {
  project = var.gcp_project_id
  role    = "roles/aiplatform.user"
  member  = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_project_iam_member" "batch_bigquery_jobuser" {
  project = var.gcp_project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.batch.email}"
}

resource "google_kms_crypto_key_iam_member" "key_agent_artifactregistry" {
  crypto_key_id = google_kms_crypto_key.main.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
}

resource "google_kms_crypto_key_iam_member" "key_agent_cloudrun" {
  crypto_key_id = google_kms_crypto_key.main.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-${data.google_project.current.number}@serverless-robot-prod.iam.gserviceaccount.com"
}
