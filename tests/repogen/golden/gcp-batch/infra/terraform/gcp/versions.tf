terraform {
  required_version = ">= 1.10"

  # Remote state: CI and CD pass the bucket and key with -backend-config (see .github/workflows).
  backend "gcs" {}

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
  }
}
