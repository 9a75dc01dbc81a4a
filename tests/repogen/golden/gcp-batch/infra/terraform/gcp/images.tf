# Service images of the stack: built from infra/docker/Dockerfile by .github/workflows/cd.yml,
# tagged with the commit SHA (tags are immutable), encrypted with the stack's key.
resource "google_artifact_registry_repository" "images" {
  repository_id = "${local.name_prefix}-runtime"
  location      = var.region
  format        = "DOCKER"
  description   = "Service images of ${local.name_prefix}"
  kms_key_name  = google_kms_crypto_key.main.id

  docker_config {
    immutable_tags = true
  }

  # Artifact Registry encrypts with the key through its service agent: grant it first.
  depends_on = [google_kms_crypto_key_iam_member.key_agent_artifactregistry]
}

# Cloud Run (services, jobs, worker pools) pulls images as its service agent, which reads
# repositories of its own project by default; the explicit grant survives an organisation
# that removes default grants.
resource "google_artifact_registry_repository_iam_member" "images_cloudrun_agent" {
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:service-${data.google_project.current.number}@serverless-robot-prod.iam.gserviceaccount.com"
}
