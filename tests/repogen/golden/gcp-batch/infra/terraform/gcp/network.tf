# Private networking is provided by the platform team's VPC (peered with Google services).
variable "network_name" {
  description = "Name of the VPC network the stack's private endpoints attach to."
  type        = string
}
