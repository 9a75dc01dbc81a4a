# observe: Cloud Monitoring (gcp_monitoring)
resource "google_monitoring_notification_channel" "observe" {
  display_name = "${local.name_prefix} alerts"
  type         = "email"

  labels = {
    email_address = var.observe_alert_email
  }
}

resource "google_monitoring_alert_policy" "observe_errors" {
  display_name          = "${local.name_prefix} error logs"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.observe.id]

  conditions {
    display_name = "Error log entries"

    condition_matched_log {
      filter = "severity>=ERROR AND labels.project=\"${var.project}\""
    }
  }

  alert_strategy {
    notification_rate_limit {
      period = "300s"
    }
  }
}
