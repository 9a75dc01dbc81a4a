# train: SageMaker Training (aws_sagemaker_training)
# Training jobs are started by the pipeline (SageMaker API); Terraform owns their image
# repository and the role they run as.
resource "aws_ecr_repository" "train" {
  name                 = "${local.name_prefix}-train"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.main.arn
  }
}

resource "aws_iam_role" "train" {
  name               = "${local.name_prefix}-train"
  assume_role_policy = data.aws_iam_policy_document.train_assume.json
}

data "aws_iam_policy_document" "train_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}
