# store: Cloud Storage (gcp_gcs_bucket)
data "google_storage_project_service_account" "store" {
  project = var.gcp_project_id
}

# Cloud Storage encrypts with the stack key through its service agent.
resource "google_kms_crypto_key_iam_member" "store_gcs" {
  crypto_key_id = google_kms_crypto_key.main.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${data.google_storage_project_service_account.store.email_address}"
}

resource "google_storage_bucket" "store" {
  #checkov:skip=CKV_GCP_62:Access is audited by Cloud Audit Logs data access logs, not bucket logs.
  name                        = "${var.gcp_project_id}-${var.environment}-store"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = google_kms_crypto_key.main.id
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 5
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.store_gcs]
}
