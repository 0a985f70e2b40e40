# The four functions. The locals below are the one place that says what each
# function gets: its environment (exactly the variables its code reads, checked
# offline by tests/terraform against the C++ sources) and its policy document.
locals {
  origination_identity_arn = var.existing_origination_identity != "" ? var.existing_origination_identity : aws_pinpointsmsvoicev2_phone_number.this[0].arn

  # Keys of every per-function resource. Kept free of resource references so
  # that for_each over it never depends on what it creates.
  functions = {
    "sms-inbound" = {
      description = "Inbound two-way SMS from the SNS topic: keywords, consent, audit log, replies."
      async       = true
    }
    "opt-out-api" = {
      description = "Universal opt-out from any channel, consent capture and status (HTTP API, payload 2.0)."
      async       = false
    }
    "deadline-monitor" = {
      description = "Daily: finishes pending opt-outs and alerts before the 10-business-day deadline."
      async       = true
    }
    "reminders" = {
      description = "Every 15 minutes: appointment reminders, only with consent, only at lawful hours."
      async       = true
    }
  }
  async_functions = { for name, f in local.functions : name => f if f.async }

  # Exactly the variables each function's code reads (tests/terraform derives
  # them from the C++ sources and fails on any difference).
  function_environment = {
    "sms-inbound" = merge({
      CONTACTS_TABLE         = aws_dynamodb_table.contacts.name
      MESSAGE_LOG_TABLE      = aws_dynamodb_table.message_log.name
      ORIGINATION_IDENTITY   = local.origination_identity_arn
      OPT_OUT_LIST_NAME      = aws_pinpointsmsvoicev2_opt_out_list.this.name
      CONFIGURATION_SET_NAME = aws_pinpointsmsvoicev2_configuration_set.this.name
      APPOINTMENTS_TABLE     = aws_dynamodb_table.appointments.name
      PROGRAM_NAME           = var.program_name
      HELP_CONTACT           = var.help_contact
      METRICS_NAMESPACE      = var.metrics_namespace
    }, var.backend_url == "" ? {} : { BACKEND_URL = var.backend_url })
    "opt-out-api" = {
      CONTACTS_TABLE    = aws_dynamodb_table.contacts.name
      MESSAGE_LOG_TABLE = aws_dynamodb_table.message_log.name
      OPT_OUT_LIST_NAME = aws_pinpointsmsvoicev2_opt_out_list.this.name
      METRICS_NAMESPACE = var.metrics_namespace
    }
    "deadline-monitor" = {
      CONTACTS_TABLE    = aws_dynamodb_table.contacts.name
      OPT_OUT_LIST_NAME = aws_pinpointsmsvoicev2_opt_out_list.this.name
      METRICS_NAMESPACE = var.metrics_namespace
    }
    "reminders" = {
      CONTACTS_TABLE           = aws_dynamodb_table.contacts.name
      MESSAGE_LOG_TABLE        = aws_dynamodb_table.message_log.name
      APPOINTMENTS_TABLE       = aws_dynamodb_table.appointments.name
      ORIGINATION_IDENTITY     = local.origination_identity_arn
      CONFIGURATION_SET_NAME   = aws_pinpointsmsvoicev2_configuration_set.this.name
      PROGRAM_NAME             = var.program_name
      REMINDER_LEAD_TIMES      = var.reminder_lead_times
      SMS_MAX_PARTS_PER_SECOND = tostring(var.sms_max_parts_per_second)
      METRICS_NAMESPACE        = var.metrics_namespace
    }
  }

  # Each function's own permissions (iam.tf).
  function_policy = {
    "sms-inbound"      = data.aws_iam_policy_document.sms_inbound.json
    "opt-out-api"      = data.aws_iam_policy_document.opt_out_api.json
    "deadline-monitor" = data.aws_iam_policy_document.deadline_monitor.json
    "reminders"        = data.aws_iam_policy_document.reminders.json
  }
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "fn" {
  for_each = local.functions

  function_name    = "${var.name_prefix}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.fn[each.key].arn
  filename         = "${var.dist_dir}/${each.key}.zip"
  source_code_hash = filebase64sha256("${var.dist_dir}/${each.key}.zip")
  handler          = "bootstrap"
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.function_settings[each.key].memory_size
  timeout          = var.function_settings[each.key].timeout

  environment {
    variables = local.function_environment[each.key]
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.fn[each.key].name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  tracing_config {
    mode = var.enable_xray ? "Active" : "PassThrough"
  }

  # The role's policy must exist before the first invocation can use it.
  depends_on = [aws_iam_role_policy.fn]
}

# Asynchronous triggers (SNS, Scheduler): two retries, then the event goes to
# the function's own queue, where the DLQ alarm sees it.
resource "aws_sqs_queue" "dlq" {
  for_each = local.async_functions

  name                      = "${var.name_prefix}-${each.key}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_function_event_invoke_config" "fn" {
  for_each = local.async_functions

  function_name                = aws_lambda_function.fn[each.key].function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq[each.key].arn
    }
  }
}
