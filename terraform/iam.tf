# One role per function of functions/functions.json with only what its code calls, on the
# resources it uses (tests/terraform derives the calls from the C++ sources and fails on a
# missing or an extra grant), plus the Scheduler's role.

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  for_each = local.functions

  name               = "${var.name_prefix}-${each.key}"
  description        = "Execution role of ${var.name_prefix}-${each.key}."
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

# What every function's role has: its own log group, its own dead-letter queue (asynchronous
# triggers), X-Ray when tracing is on. The documents below add what each function's code calls.
data "aws_iam_policy_document" "fn_base" {
  for_each = local.functions

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.fn[each.key].arn}:*"]
  }
  dynamic "statement" {
    for_each = each.value.async ? [1] : []
    content {
      sid       = "OnFailure"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dlq[each.key].arn]
    }
  }
  dynamic "statement" {
    for_each = var.enable_xray ? [1] : []
    content {
      sid       = "XRay"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions

  name   = "access"
  role   = aws_iam_role.fn[each.key].id
  policy = local.function_policy[each.key]
}

data "aws_iam_policy_document" "sms_inbound" {
  source_policy_documents = [data.aws_iam_policy_document.fn_base["sms-inbound"].json]

  statement {
    sid       = "Contacts"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.contacts.arn]
  }
  # BatchWriteItem: a text's log items (consent event, replies, its final state) in one request.
  statement {
    sid       = "MessageLog"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]
    resources = [aws_dynamodb_table.message_log.arn]
  }
  # Replies to reminders (C/CONFIRM, R/RESCHEDULE): find the next appointment, record the answer.
  statement {
    sid       = "AppointmentsByPhone"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.appointments.arn}/index/appointments-by-phone"]
  }
  statement {
    sid       = "AppointmentReplies"
    actions   = ["dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.appointments.arn]
  }
  statement {
    sid       = "Send"
    actions   = ["sms-voice:SendTextMessage"]
    resources = [local.origination_identity_arn, local.configuration_set_arn]
  }
  statement {
    sid       = "OptOutList"
    actions   = ["sms-voice:PutOptedOutNumber", "sms-voice:DeleteOptedOutNumber"]
    resources = [aws_pinpointsmsvoicev2_opt_out_list.this.arn]
  }
}

data "aws_iam_policy_document" "opt_out_api" {
  source_policy_documents = [data.aws_iam_policy_document.fn_base["opt-out-api"].json]

  statement {
    sid       = "Contacts"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.contacts.arn]
  }
  # An opt-out's consent event and its honour's evidence.
  statement {
    sid       = "MessageLog"
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.message_log.arn]
  }
  # The history (GET /contacts/{phone_number}/history) reads the number's own items and its
  # notify requests; the period report (GET /opt-outs) reads one day of opt-outs a Query.
  statement {
    sid     = "History"
    actions = ["dynamodb:Query"]
    resources = [
      aws_dynamodb_table.message_log.arn,
      "${aws_dynamodb_table.message_log.arn}/index/notify-by-phone",
      "${aws_dynamodb_table.message_log.arn}/index/opt-outs-by-day",
    ]
  }
  # An opt-in through the API takes the number off the list again.
  statement {
    sid       = "OptOutList"
    actions   = ["sms-voice:PutOptedOutNumber", "sms-voice:DeleteOptedOutNumber"]
    resources = [aws_pinpointsmsvoicev2_opt_out_list.this.arn]
  }
}

data "aws_iam_policy_document" "deadline_monitor" {
  source_policy_documents = [data.aws_iam_policy_document.fn_base["deadline-monitor"].json]

  statement {
    sid       = "PendingOptOuts"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.contacts.arn}/index/pending-opt-outs"]
  }
  statement {
    sid       = "Contacts"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.contacts.arn]
  }
  statement {
    sid       = "OptOutList"
    actions   = ["sms-voice:PutOptedOutNumber"]
    resources = [aws_pinpointsmsvoicev2_opt_out_list.this.arn]
  }
  # The evidence of each opt-out it honours (an opt_out_honored consent event).
  statement {
    sid       = "MessageLog"
    actions   = ["dynamodb:PutItem"]
    resources = [aws_dynamodb_table.message_log.arn]
  }
}

data "aws_iam_policy_document" "reminders" {
  source_policy_documents = [data.aws_iam_policy_document.fn_base["reminders"].json]

  statement {
    sid       = "DueReminders"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.appointments.arn}/index/reminders-due"]
  }
  statement {
    sid       = "Appointments"
    actions   = ["dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.appointments.arn]
  }
  statement {
    sid       = "Contacts"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.contacts.arn]
  }
  # record_outbound / record_blocked write through ConsentStore::write_log (PutItem for one item,
  # BatchWriteItem for more).
  statement {
    sid       = "MessageLog"
    actions   = ["dynamodb:PutItem", "dynamodb:BatchWriteItem"]
    resources = [aws_dynamodb_table.message_log.arn]
  }
  statement {
    sid       = "Send"
    actions   = ["sms-voice:SendTextMessage"]
    resources = [local.origination_identity_arn, local.configuration_set_arn]
  }
}

# Delivery events (ConsentStore::record_delivery_event): the message by MessageId through the
# sparse index, its item read (after a failed condition) and updated, carrier blocks on the contact.
data "aws_iam_policy_document" "delivery_events" {
  source_policy_documents = [data.aws_iam_policy_document.fn_base["delivery-events"].json]

  statement {
    sid       = "MessagesByMessageId"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.message_log.arn}/index/by-message-id"]
  }
  statement {
    sid       = "MessageLog"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.message_log.arn]
  }
  statement {
    sid       = "Contacts"
    actions   = ["dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.contacts.arn]
  }
}

data "aws_iam_policy_document" "notify" {
  source_policy_documents = [data.aws_iam_policy_document.fn_base["notify"].json]

  statement {
    sid       = "Contacts"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.contacts.arn]
  }
  # Notification items (claim, decision, release) and the consent event of a carrier opt-out.
  statement {
    sid       = "MessageLog"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.message_log.arn]
  }
  statement {
    sid       = "DeferredMessages"
    actions   = ["dynamodb:Query"]
    resources = ["${aws_dynamodb_table.message_log.arn}/index/notify-due"]
  }
  statement {
    sid       = "Send"
    actions   = ["sms-voice:SendTextMessage"]
    resources = [local.origination_identity_arn, local.configuration_set_arn]
  }
  # The event source mapping polls with the function's role.
  statement {
    sid       = "Requests"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.notify.arn]
  }
}

# EventBridge Scheduler assumes this role to invoke the scheduled functions
# and to park undeliverable events in its dead-letter queue.
data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name_prefix}-scheduler"
  description        = "EventBridge Scheduler: invokes reminders, notify and deadline-monitor."
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeScheduledFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = [for name in keys(local.schedules) : aws_lambda_function.fn[name].arn]
  }
  statement {
    sid       = "DeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.scheduler_dlq.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}
