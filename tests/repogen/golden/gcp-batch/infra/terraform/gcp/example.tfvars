# Placeholder values for the variables without a default: replace them before a
# real apply. `terraform plan -var-file=example.tfvars` runs as generated.
gcp_project_id      = "example-project"
batch_image         = "europe-west1-docker.pkg.dev/example-project/batch-on-gcp/batch-on-gcp:0.1.0"
observe_alert_email = "ml-platform-oncall@example.com"
