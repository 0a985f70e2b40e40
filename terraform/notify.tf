# notify: a business's own texts through the compliance gate. Business systems enqueue requests
# on the notify queue (or call POST /messages with SigV4); deferred texts are released by the
# 15-minute schedule (schedules.tf). A message that keeps failing (an invalid request, a
# transient failure that outlasts its retries) lands in the notify dead-letter queue.

resource "aws_sqs_queue" "notify_dlq" {
  name                      = "${var.name_prefix}-notify-requests-dlq"
  message_retention_seconds = 1209600 # 14 days: the most SQS keeps
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "notify" {
  name                      = "${var.name_prefix}-notify-requests"
  message_retention_seconds = 345600 # 4 days
  # At least 6 times the function timeout, AWS's advice for a Lambda event source, so a batch
  # still being processed is not delivered to another invocation.
  visibility_timeout_seconds = 6 * local.function_settings["notify"].timeout
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.notify_dlq.arn
    maxReceiveCount     = var.notify_max_receive_count
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "notify_dlq" {
  queue_url = aws_sqs_queue.notify_dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.notify.arn]
  })
}

# Partial batch responses: notify names only the records to deliver again (malformed or failed
# transiently); a blocked or deferred message is a decision, never retried.
resource "aws_lambda_event_source_mapping" "notify" {
  event_source_arn                   = aws_sqs_queue.notify.arn
  function_name                      = aws_lambda_function.fn["notify"].arn
  batch_size                         = var.notify_batch_size
  maximum_batching_window_in_seconds = 1
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    # Sends are paced per invocation (SMS_MAX_PARTS_PER_SECOND): few concurrent pollers keep the
    # origination identity's throughput from being exceeded several times over.
    maximum_concurrency = 2
  }
}

# POST /messages on the HTTP API (api.tf), IAM callers only.
resource "aws_apigatewayv2_integration" "notify" {
  api_id                 = aws_apigatewayv2_api.opt_out.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn["notify"].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 29000
}

resource "aws_apigatewayv2_route" "notify" {
  api_id             = aws_apigatewayv2_api.opt_out.id
  route_key          = "POST /messages"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.notify.id}"
}

resource "aws_lambda_permission" "notify_api" {
  statement_id  = "AllowHttpApiMessages"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["notify"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.opt_out.execution_arn}/*/POST/messages"
}

# The queue is only useful when it drains: a request older than 15 minutes means notify is not
# keeping up (or failing). Its dead-letter queue has the dead_letters alarm of alarms.tf.
resource "aws_cloudwatch_metric_alarm" "notify_queue_age" {
  alarm_name          = "${var.name_prefix}-notify-queue-age"
  alarm_description   = "The oldest notify request has waited over ${var.notify_queue_age_alarm_seconds} s: notify is not keeping up or is failing."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.notify.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.notify_queue_age_alarm_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

# notify's row of the dashboard (dashboard.tf): its decisions, why it blocked, and its queue.
locals {
  dashboard_notify_rows = [[
    {
      type   = "metric"
      width  = 8
      height = 6
      properties = merge(local.dashboard_graph, {
        title  = "notify: sent, blocked, deferred, expired, invalid, failed"
        stat   = "Sum"
        period = 3600
        metrics = [
          for m in ["NotifySent", "NotifyBlocked", "NotifyDeferred", "NotifyExpired", "NotifyInvalid", "NotifyFailed"] :
          [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["notify"]]
        ]
      })
    },
    {
      type   = "metric"
      width  = 8
      height = 6
      properties = merge(local.dashboard_graph, {
        title  = "notify blocked, by reason"
        stat   = "Sum"
        period = 3600
        metrics = [[{
          id         = "notify_blocked"
          expression = "SEARCH('{\"${var.metrics_namespace}\",FunctionName,Reason} MetricName=\"NotifyBlocked\" FunctionName=\"${local.dashboard_function_names["notify"]}\"', 'Sum', 3600)"
        }]]
      })
    },
    {
      type   = "metric"
      width  = 8
      height = 6
      properties = merge(local.dashboard_graph, {
        title  = "notify queue: oldest request (s), waiting, dead letters"
        stat   = "Maximum"
        period = 300
        metrics = [
          ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.notify.name],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.notify.name],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.notify_dlq.name],
        ]
      })
    },
  ]]
}
