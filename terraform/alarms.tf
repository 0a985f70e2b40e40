# Alerts: one topic (with an optional e-mail subscription) that every alarm
# notifies: function errors and throttles, dead letters, and opt-outs at risk.

resource "aws_sns_topic" "alerts" {
  name = "${var.name_prefix}-alerts"
}

resource "aws_sns_topic_subscription" "alerts_email" {
  count = var.alert_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-errors"
  alarm_description   = "${each.key} failed an invocation (see its log group)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-throttles"
  alarm_description   = "${each.key} was throttled (account concurrency)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

locals {
  dead_letter_queues = merge(
    { for name, q in aws_sqs_queue.dlq : name => q.name },
    { scheduler = aws_sqs_queue.scheduler_dlq.name },
    { notify-requests = aws_sqs_queue.notify_dlq.name },
  )
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each = local.dead_letter_queues

  alarm_name          = "${var.name_prefix}-${each.key}-dead-letters"
  alarm_description   = "Events gave up on ${each.key} and wait in ${each.value}: inspect and redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

# deadline-monitor's EMF metrics: any overdue opt-out is a compliance breach;
# any due within 2 business days needs a person now.
locals {
  opt_out_alarms = {
    OptOutsOverdue = "An opt-out is past its 10-business-day deadline and not honoured."
    OptOutsDueSoon = "An opt-out has 2 business days or fewer left and is not honoured."
  }
}

resource "aws_cloudwatch_metric_alarm" "opt_outs" {
  for_each = local.opt_out_alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value
  namespace           = var.metrics_namespace
  metric_name         = each.key
  dimensions          = { FunctionName = aws_lambda_function.fn["deadline-monitor"].function_name }
  statistic           = "Maximum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

# The texts' alarms (docs/metrics.md): delivery success under var.delivery_success_alarm_percent
# over an hour, any TEXT_SPAM flag, opt-out rate over var.opt_out_rate_alarm_percent over a day.
# A period with fewer than var.rate_alarm_min_texts texts (none, by default) is not judged.

resource "aws_cloudwatch_metric_alarm" "delivery_success" {
  alarm_name          = "${var.name_prefix}-delivery-success"
  alarm_description   = "Under ${var.delivery_success_alarm_percent} % of the texts that reached a final status in the hour were delivered (MessagesFailed by Status says why)."
  comparison_operator = "LessThanThreshold"
  threshold           = var.delivery_success_alarm_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  metric_query {
    id = "delivered"
    metric {
      namespace   = var.metrics_namespace
      metric_name = "MessagesDelivered"
      dimensions  = { FunctionName = aws_lambda_function.fn["delivery-events"].function_name }
      stat        = "Sum"
      period      = 3600
    }
  }
  metric_query {
    id = "final"
    metric {
      namespace   = var.metrics_namespace
      metric_name = "MessagesFinal"
      dimensions  = { FunctionName = aws_lambda_function.fn["delivery-events"].function_name }
      stat        = "Sum"
      period      = 3600
    }
  }
  metric_query {
    id          = "delivery_success_rate"
    label       = "DeliverySuccessRate (%)"
    expression  = "IF(final >= ${var.rate_alarm_min_texts}, 100 * FILL(delivered, 0) / final, 100)"
    return_data = true
  }
}

# delivery-events' metric per carrier flag (carrier_block_metric): any TEXT_SPAM alarms.
locals {
  carrier_block_alarms = {
    TextSpam = "A carrier flagged a text as spam (TEXT_SPAM): review the content and the sending pattern before sending more."
  }
}

resource "aws_cloudwatch_metric_alarm" "text_spam" {
  for_each = local.carrier_block_alarms

  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = each.value
  namespace           = var.metrics_namespace
  metric_name         = each.key
  dimensions          = { FunctionName = aws_lambda_function.fn["delivery-events"].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "opt_out_rate" {
  alarm_name          = "${var.name_prefix}-opt-out-rate"
  alarm_description   = "Over ${var.opt_out_rate_alarm_percent} % as many opt-outs (STOP texts) as texts sent in the day: review what was sent."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.opt_out_rate_alarm_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  metric_query {
    id = "opt_outs"
    metric {
      namespace   = var.metrics_namespace
      metric_name = "OptOutsReceived"
      dimensions  = { FunctionName = aws_lambda_function.fn["sms-inbound"].function_name }
      stat        = "Sum"
      period      = 86400
    }
  }
  dynamic "metric_query" {
    for_each = local.texts_sent_metrics
    content {
      id = "sent_${metric_query.key}"
      metric {
        namespace   = var.metrics_namespace
        metric_name = metric_query.value.metric
        dimensions  = { FunctionName = aws_lambda_function.fn[metric_query.value.function].function_name }
        stat        = "Sum"
        period      = 86400
      }
    }
  }
  metric_query {
    id         = "sent"
    label      = "texts sent"
    expression = local.texts_sent_expression
  }
  metric_query {
    id          = "opt_out_rate"
    label       = "OptOutRate (%)"
    expression  = "IF(sent >= ${var.rate_alarm_min_texts}, 100 * FILL(opt_outs, 0) / sent, 0)"
    return_data = true
  }
}
