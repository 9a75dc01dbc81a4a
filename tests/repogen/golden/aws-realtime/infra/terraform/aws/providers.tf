# Credentials come from the environment (OIDC role in CD, a profile locally), never from here.
provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
