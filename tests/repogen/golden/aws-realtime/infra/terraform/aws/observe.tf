# observe: CloudWatch (aws_cloudwatch)
resource "aws_cloudwatch_log_group" "observe" {
  name              = "/${var.project}/${var.environment}/observe"
  retention_in_days = var.observe_log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_sns_topic" "observe_alarms" {
  name              = "${local.name_prefix}-observe-alarms"
  kms_master_key_id = aws_kms_key.main.arn
}
