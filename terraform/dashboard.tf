# The CloudWatch dashboard: every alarm's state; what became of the texts (sent, blocked,
# deferred, delivered, failed, cost); how people answered (opt-out and response rates); carrier
# blocks; the opt-out deadlines; and each function's Lambda errors, duration and throttles.
# What each metric counts and the rates' formulas: docs/metrics.md.
#
# The body is built from locals. local.dashboard_rows is a list of rows, each a list of widgets
# ({type, width, height, properties}) placed left to right on CloudWatch's 24-column grid; x and
# y are computed. To add a row, define its widgets in a local and list it in dashboard_rows.
# Every value must be known at plan (names, not ARNs the provider computes): tests/terraform
# renders the body from a plan and checks each metric against the functions' code.

locals {
  # Each function's name, as Lambda's metrics and the functions' EMF lines (FunctionName) carry it.
  dashboard_function_names = { for name, fn in aws_lambda_function.fn : name => fn.function_name }

  # The texts this stack originates, by sending function and its EMF counter of texts sent: the
  # denominator of OptOutRate and ResponseRate. Replies to inbound texts (sms-inbound's
  # OutboundMessages) are left out: they answer a text rather than invite one. A new sender adds
  # its counter here (a FunctionName-only total, whatever other dimensions it also emits).
  texts_sent_metrics = [
    { function = "reminders", metric = "RemindersSent" },
    { function = "notify", metric = "NotifySent" },
  ]
  # Their sum in metric math (ids sent_0, sent_1, ...); a sender with no data point counts 0.
  texts_sent_expression = join(" + ", [for i, m in local.texts_sent_metrics : "FILL(sent_${i}, 0)"])
  texts_sent_queries = [
    for i, m in local.texts_sent_metrics : [
      var.metrics_namespace, m.metric, "FunctionName", local.dashboard_function_names[m.function],
      { id = "sent_${i}", visible = false },
    ]
  ]

  # delivery-events' metric per carrier block or spam flag (carrier_block_metric,
  # functions/delivery-events/handler.cpp).
  carrier_block_metrics = ["TextBlocked", "TextCarrierBlocked", "TextSpam", "TextProtectBlocked"]

  # The alarm status widget lists every alarm of the stack, by ARN (made from the name, so that
  # it is known at plan).
  dashboard_alarm_names = concat(
    [for a in aws_cloudwatch_metric_alarm.errors : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.throttles : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.dead_letters : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.opt_outs : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.text_spam : a.alarm_name],
    [aws_cloudwatch_metric_alarm.delivery_success.alarm_name, aws_cloudwatch_metric_alarm.opt_out_rate.alarm_name],
    [aws_cloudwatch_metric_alarm.notify_queue_age.alarm_name],
  )
  dashboard_alarm_arns = [
    for name in local.dashboard_alarm_names :
    "arn:${data.aws_partition.current.partition}:cloudwatch:${var.region}:${data.aws_caller_identity.current.account_id}:alarm:${name}"
  ]

  # Properties every graph shares.
  dashboard_graph = { view = "timeSeries", stacked = false, region = var.region }

  dashboard_alarm_rows = [[
    {
      type       = "alarm"
      width      = 24
      height     = 6
      properties = { title = "Alarms", alarms = local.dashboard_alarm_arns }
    },
  ]]

  dashboard_message_rows = [
    [
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Reminders: sent, blocked, deferred, missed, failed"
          stat   = "Sum"
          period = 3600
          metrics = [
            for m in ["RemindersSent", "RemindersBlocked", "RemindersDeferred", "RemindersMissed", "RemindersFailed"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["reminders"]]
          ]
        })
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Reminders blocked, by reason"
          stat   = "Sum"
          period = 3600
          metrics = [[{
            id         = "blocked"
            expression = "SEARCH('{\"${var.metrics_namespace}\",FunctionName,Reason} MetricName=\"RemindersBlocked\" FunctionName=\"${local.dashboard_function_names["reminders"]}\"', 'Sum', 3600)"
          }]]
        })
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Replies to inbound texts: sent, refused"
          stat   = "Sum"
          period = 3600
          metrics = [
            for m in ["OutboundMessages", "BlockedSends"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["sms-inbound"]]
          ]
        })
      },
    ],
    [
      {
        type   = "metric"
        width  = 6
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Texts delivered, failed (at their final status)"
          stat   = "Sum"
          period = 3600
          metrics = [
            for m in ["MessagesFinal", "MessagesDelivered", "MessagesFailed"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["delivery-events"]]
          ]
        })
      },
      {
        type   = "metric"
        width  = 6
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Texts failed, by status"
          stat   = "Sum"
          period = 3600
          metrics = [[{
            id         = "failed"
            expression = "SEARCH('{\"${var.metrics_namespace}\",FunctionName,Status} MetricName=\"MessagesFailed\" FunctionName=\"${local.dashboard_function_names["delivery-events"]}\"', 'Sum', 3600)"
          }]]
        })
      },
      {
        type   = "metric"
        width  = 6
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "DeliverySuccessRate (%), hourly"
          stat   = "Sum"
          period = 3600
          yAxis  = { left = { min = 0, max = 100, showUnits = false } }
          annotations = {
            horizontal = [{ label = "alarm below", value = var.delivery_success_alarm_percent }]
          }
          metrics = [
            [var.metrics_namespace, "MessagesDelivered", "FunctionName", local.dashboard_function_names["delivery-events"], { id = "delivered", visible = false }],
            [var.metrics_namespace, "MessagesFinal", "FunctionName", local.dashboard_function_names["delivery-events"], { id = "final", visible = false }],
            [{ id = "delivery_success_rate", label = "DeliverySuccessRate", expression = "100 * FILL(delivered, 0) / final" }],
          ]
        })
      },
      {
        type   = "metric"
        width  = 6
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Cost (USD): price and carrier fees"
          stat   = "Sum"
          period = 86400
          metrics = [
            for m in ["DeliveryCost", "MessagePrice", "CarrierFees"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["delivery-events"]]
          ]
        })
      },
    ],
  ]

  dashboard_response_rows = [[
    {
      type   = "metric"
      width  = 8
      height = 6
      properties = merge(local.dashboard_graph, {
        title  = "OptOutRate and ResponseRate (%), daily"
        stat   = "Sum"
        period = 86400
        yAxis  = { left = { min = 0, showUnits = false } }
        annotations = {
          horizontal = [{ label = "opt-out alarm above", value = var.opt_out_rate_alarm_percent }]
        }
        metrics = concat(
          [
            [var.metrics_namespace, "OptOutsReceived", "FunctionName", local.dashboard_function_names["sms-inbound"], { id = "opt_outs", visible = false }],
            [var.metrics_namespace, "InboundTexts", "FunctionName", local.dashboard_function_names["sms-inbound"], { id = "inbound", visible = false }],
          ],
          local.texts_sent_queries,
          [
            [{ id = "sent", label = "texts sent", expression = local.texts_sent_expression, visible = false }],
            [{ id = "opt_out_rate", label = "OptOutRate", expression = "IF(sent > 0, 100 * FILL(opt_outs, 0) / sent, 0)" }],
            [{ id = "response_rate", label = "ResponseRate", expression = "IF(sent > 0, 100 * FILL(inbound, 0) / sent, 0)" }],
          ],
        )
      })
    },
    {
      type   = "metric"
      width  = 8
      height = 6
      properties = merge(local.dashboard_graph, {
        title  = "Inbound texts, opt-outs and opt-ins"
        stat   = "Sum"
        period = 3600
        metrics = concat(
          [
            for m in ["InboundTexts", "OptOutsReceived", "OptIns", "HelpRequests", "PossibleRevocations"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["sms-inbound"]]
          ],
          [[var.metrics_namespace, "OptOuts", "FunctionName", local.dashboard_function_names["opt-out-api"], { label = "OptOuts (API)" }]],
        )
      })
    },
    {
      type   = "metric"
      width  = 8
      height = 6
      properties = merge(local.dashboard_graph, {
        title  = "Carrier blocks and spam flags"
        stat   = "Sum"
        period = 3600
        metrics = [
          for m in concat(local.carrier_block_metrics, ["ContactsFlagged"]) :
          [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["delivery-events"]]
        ]
      })
    },
  ]]

  dashboard_operations_rows = [
    [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Opt-out deadlines (deadline-monitor, each run)"
          stat   = "Maximum"
          period = 3600
          metrics = [
            for m in ["OptOutsOverdue", "OptOutsDueSoon", "OptOutsPending", "OptOutSyncFailures", "OptOutsHonored"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["deadline-monitor"]]
          ]
        })
      },
      {
        type   = "log"
        width  = 12
        height = 6
        properties = {
          title  = "Opt-outs at risk (deadline-monitor alerts)"
          region = var.region
          view   = "table"
          query  = "SOURCE '${aws_cloudwatch_log_group.fn["deadline-monitor"].name}' | fields @timestamp, alert, phone, deadline, business_days_left, missing, error | filter ispresent(alert) | sort @timestamp desc | limit 100"
        }
      },
    ],
    [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Dead letters waiting (redrive them)"
          stat   = "Maximum"
          period = 300
          metrics = [
            for name, queue in local.dead_letter_queues :
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { label = name }]
          ]
        })
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "Delivery events: unknown, duplicate, malformed, failed"
          stat   = "Sum"
          period = 3600
          metrics = [
            for m in ["DeliveryEvents", "UnknownMessages", "DuplicateEvents", "MalformedRecords", "RecordFailures"] :
            [var.metrics_namespace, m, "FunctionName", local.dashboard_function_names["delivery-events"]]
          ]
        })
      },
    ],
  ]

  # One row per function of functions/functions.json: Lambda's own errors, duration (against the
  # timeout) and throttles.
  dashboard_function_rows = [
    for name, fn in local.dashboard_function_names : [
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.dashboard_graph, {
          title   = "${name}: invocations and errors"
          stat    = "Sum"
          period  = 300
          metrics = [for m in ["Invocations", "Errors"] : ["AWS/Lambda", m, "FunctionName", fn]]
        })
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.dashboard_graph, {
          title  = "${name}: duration (ms)"
          period = 300
          annotations = {
            horizontal = [{ label = "timeout", value = local.function_settings[name].timeout * 1000 }]
          }
          metrics = [
            for stat in ["Average", "p99", "Maximum"] : ["AWS/Lambda", "Duration", "FunctionName", fn, { stat = stat, label = stat }]
          ]
        })
      },
      {
        type   = "metric"
        width  = 8
        height = 6
        properties = merge(local.dashboard_graph, {
          title   = "${name}: throttles"
          stat    = "Sum"
          period  = 300
          metrics = [["AWS/Lambda", "Throttles", "FunctionName", fn]]
        })
      },
    ]
  ]

  dashboard_rows = concat(
    local.dashboard_alarm_rows,
    local.dashboard_message_rows,
    local.dashboard_notify_rows,
    local.dashboard_response_rows,
    local.dashboard_operations_rows,
    local.dashboard_function_rows,
  )

  # Placed left to right, row under row; a row is as tall as its tallest widget.
  dashboard_row_heights = [for row in local.dashboard_rows : max([for w in row : w.height]...)]
  dashboard_widgets = flatten([
    for r, row in local.dashboard_rows : [
      for i, w in row : merge(w, {
        x = sum(concat([0], [for j, other in row : other.width if j < i]))
        y = sum(concat([0], slice(local.dashboard_row_heights, 0, r)))
      })
    ]
  ])
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })

  lifecycle {
    precondition {
      condition     = alltrue([for row in local.dashboard_rows : sum([for w in row : w.width]) <= 24])
      error_message = "A dashboard row is wider than CloudWatch's 24 columns: split it (terraform/dashboard.tf)."
    }
  }
}
