# EventBridge Scheduler: reminders and notify's release of deferred texts every 15 minutes,
# deadline-monitor daily.
# Failed deliveries are retried, then land in the scheduler's dead-letter queue.

locals {
  schedules = {
    "reminders"        = var.reminders_schedule
    "deadline-monitor" = var.deadline_monitor_schedule
    "notify"           = var.notify_release_schedule
  }
}

resource "aws_sqs_queue" "scheduler_dlq" {
  name                      = "${var.name_prefix}-scheduler-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_scheduler_schedule" "fn" {
  for_each = local.schedules

  name                = "${var.name_prefix}-${each.key}"
  description         = "Runs ${each.key}."
  schedule_expression = each.value
  state               = var.schedules_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.fn[each.key].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ source = "aws.scheduler", schedule = each.key })

    # A run missed by more than 10 minutes is left to the next one (both
    # functions catch up on their own).
    retry_policy {
      maximum_event_age_in_seconds = 600
      maximum_retry_attempts       = 3
    }

    dead_letter_config {
      arn = aws_sqs_queue.scheduler_dlq.arn
    }
  }
}
