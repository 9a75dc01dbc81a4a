# The stack brings its own VPC: one private subnet (Private Google Access, flow logs) and a
# private services range peered with Google (Vertex AI, Cloud SQL, Memorystore). No default
# network. Replace this file with your platform's shared VPC if you have one.
variable "subnet_cidr" {
  description = "CIDR range of the stack's private subnet."
  type        = string
  default     = "10.42.0.0/20"
}

locals {
  network_name    = google_compute_network.main.name
  subnetwork_name = google_compute_subnetwork.private.name
}

resource "google_compute_network" "main" {
  name                    = "${local.name_prefix}-vpc"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "private" {
  name                     = "${local.name_prefix}-private"
  network                  = google_compute_network.main.id
  region                   = var.region
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 1
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_global_address" "private_services" {
  name          = "${local.name_prefix}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 16
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}

# Nothing reaches the stack from outside its VPC; Google-managed services come in through the
# private services peering.
resource "google_compute_firewall" "deny_ingress" {
  name          = "${local.name_prefix}-deny-ingress"
  network       = google_compute_network.main.id
  direction     = "INGRESS"
  priority      = 65000
  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
