# train: Vertex AI Training (gcp_vertex_training)
# Training jobs are started by the pipeline (Vertex AI API); Terraform owns their image
# repository and the service account they run as.
resource "google_artifact_registry_repository" "train" {
  repository_id = "${local.name_prefix}-train"
  location      = var.region
  format        = "DOCKER"
  kms_key_name  = google_kms_crypto_key.main.id

  docker_config {
    immutable_tags = true
  }
}

resource "google_service_account" "train" {
  account_id   = substr("${local.name_prefix}-train", 0, 30)
  display_name = "Vertex AI Training jobs of ${local.name_prefix}"
}
