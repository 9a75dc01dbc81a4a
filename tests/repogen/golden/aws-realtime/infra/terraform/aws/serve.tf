# serve: SageMaker Endpoint (aws_sagemaker_endpoint)
resource "aws_iam_role" "serve" {
  name               = "${local.name_prefix}-serve"
  assume_role_policy = data.aws_iam_policy_document.serve_assume.json
}

data "aws_iam_policy_document" "serve_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

# The serving code calls nothing: the container runs network-isolated.
resource "aws_sagemaker_model" "serve" {
  name                     = "${local.name_prefix}-serve"
  execution_role_arn       = aws_iam_role.serve.arn
  enable_network_isolation = true

  primary_container {
    image          = var.serve_image_uri
    model_data_url = var.serve_model_data_url
  }

  vpc_config {
    subnets            = local.private_subnet_ids
    security_group_ids = [aws_security_group.private.id]
  }

  # SageMaker checks at creation that the role can pull the image: grant it first (iam.tf).
  depends_on = [aws_iam_role_policy.serve]
}

resource "aws_sagemaker_endpoint_configuration" "serve" {
  name        = "${local.name_prefix}-serve"
  kms_key_arn = aws_kms_key.main.arn

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.serve.name
    instance_type          = var.serve_instance_type
    initial_instance_count = var.serve_instance_count
  }
}

resource "aws_sagemaker_endpoint" "serve" {
  name                 = "${local.name_prefix}-serve"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.serve.name
}
