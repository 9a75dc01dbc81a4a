terraform {
  required_version = ">= 1.10"

  # Remote state: CI and CD pass the bucket and key with -backend-config (see .github/workflows).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7"
    }
  }
}
