# Service images of the stack: built from infra/docker/Dockerfile by .github/workflows/cd.yml,
# tagged with the commit SHA (tags are immutable), scanned on push, encrypted with the stack's key.
resource "aws_ecr_repository" "images" {
  name                 = "${local.name_prefix}-runtime"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.main.arn
  }
}

resource "aws_ecr_lifecycle_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 100 most recent images (rollbacks stay possible)."
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 100 }
      action       = { type = "expire" }
    }]
  })
}
