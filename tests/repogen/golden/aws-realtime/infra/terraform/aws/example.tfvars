# Placeholder values for the variables without a default: replace them before a
# real apply. `terraform plan -var-file=example.tfvars` runs as generated.
serve_image_uri      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/realtime-on-aws:0.1.0"
serve_model_data_url = "s3://realtime-on-aws-artifacts/model/model.tar.gz"
