data "google_project" "current" {
  project_id = var.gcp_project_id
}

locals {
  name_prefix = "${var.project}-${var.environment}"
  labels = merge(var.labels, {
    project     = var.project
    environment = var.environment
    managed-by  = "terraform"
  })
}

# One customer-managed key encrypts every data store of this stack.
resource "google_kms_key_ring" "main" {
  name     = local.name_prefix
  location = var.region
}

resource "google_kms_crypto_key" "main" {
  name            = "${local.name_prefix}-data"
  key_ring        = google_kms_key_ring.main.id
  rotation_period = "7776000s"

  lifecycle {
    prevent_destroy = true
  }
}
