# batch: Cloud Run job (gcp_cloud_run_job)
resource "google_service_account" "batch" {
  account_id   = substr("${local.name_prefix}-batch", 0, 30)
  display_name = "Cloud Run job of ${local.name_prefix}"
}

resource "google_cloud_run_v2_job" "batch" {
  name                = "${local.name_prefix}-batch"
  location            = var.region
  deletion_protection = true

  template {
    template {
      service_account = google_service_account.batch.email
      encryption_key  = google_kms_crypto_key.main.id
      max_retries     = 1

      containers {
        image   = var.batch_image
        command = ["python", "-m", "ml.pipelines.batch_score"]
      }

      vpc_access {
        egress = "ALL_TRAFFIC"

        network_interfaces {
          network    = local.network_name
          subnetwork = local.subnetwork_name
        }
      }
    }
  }

  # Cloud Run checks at creation that its agent can pull the image (images.tf).
  depends_on = [google_artifact_registry_repository_iam_member.images_cloudrun_agent]
}
