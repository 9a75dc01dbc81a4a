# Private networking is provided by the platform team's VPC: pass its private subnets.
variable "vpc_id" {
  description = "VPC that hosts the private endpoints of this stack."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (no internet gateway route) for the stack's network interfaces."
  type        = list(string)
}

resource "aws_security_group" "private" {
  #checkov:skip=CKV2_AWS_5:Attached through the planned services' VPC settings, which checkov's graph does not follow.
  name        = "${local.name_prefix}-private"
  description = "Traffic between the stack's private services, HTTPS only"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from inside the security group"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    self        = true
  }

  egress {
    description = "HTTPS to the security group and VPC endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    self        = true
  }
}
