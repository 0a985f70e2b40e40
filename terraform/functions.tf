# The functions: functions/functions.json is the one list of them (docs/functions.md), with
# each one's description, trigger kind, memory, timeout and the variables its code reads; every
# per-function resource here, in iam.tf and alarms.tf is a for_each over it. What only Terraform
# can say stays here, keyed by function name: the variables' values and each function's policy.
locals {
  origination_identity_arn = var.existing_origination_identity != "" ? var.existing_origination_identity : aws_pinpointsmsvoicev2_phone_number.this[0].arn

  # Keys of every per-function resource. Read from a file, never from a resource, so that
  # for_each over it never depends on what it creates.
  functions       = jsondecode(file("${path.module}/../functions/functions.json")).functions
  async_functions = { for name, f in local.functions : name => f if f.async }

  # Memory and timeout: functions.json's, or var.function_settings' where it says otherwise.
  function_settings = {
    for name, f in local.functions : name => {
      memory_size = coalesce(try(var.function_settings[name].memory_size, null), f.memory_size)
      timeout     = coalesce(try(var.function_settings[name].timeout, null), f.timeout)
    }
  }

  # The value of every variable a function may read. A function gets exactly those its entry in
  # functions.json lists (tests/terraform checks each list against the function's C++ sources).
  environment_values = {
    CONTACTS_TABLE           = aws_dynamodb_table.contacts.name
    MESSAGE_LOG_TABLE        = aws_dynamodb_table.message_log.name
    APPOINTMENTS_TABLE       = aws_dynamodb_table.appointments.name
    ORIGINATION_IDENTITY     = local.origination_identity_arn
    OPT_OUT_LIST_NAME        = aws_pinpointsmsvoicev2_opt_out_list.this.name
    CONFIGURATION_SET_NAME   = local.configuration_set_name
    PROGRAM_NAME             = var.program_name
    HELP_CONTACT             = var.help_contact
    METRICS_NAMESPACE        = var.metrics_namespace
    REMINDER_LEAD_TIMES      = var.reminder_lead_times
    SMS_MAX_PARTS_PER_SECOND = tostring(var.sms_max_parts_per_second)
    NOTIFY_TEMPLATES         = jsonencode(var.notify_templates)
  }
  # Variables set only when they have a value (the code treats unset as "off").
  optional_environment_values = {
    BACKEND_URL           = var.backend_url
    STATE_EMERGENCIES     = join(",", var.state_emergencies)
    NOTIFY_ALLOW_RAW_BODY = var.notify_allow_raw_body ? "1" : ""
    REPLY_TEXTS           = length(var.reply_texts) > 0 ? jsonencode(var.reply_texts) : ""
    MESSAGE_FREQUENCY     = length(var.message_frequency) > 0 ? jsonencode(var.message_frequency) : ""
  }
  function_environment = {
    for name, f in local.functions : name => merge(
      { for k in f.environment : k => local.environment_values[k] if !contains(keys(local.optional_environment_values), k) },
      { for k, v in local.optional_environment_values : k => v if contains(f.environment, k) && v != "" },
    )
  }

  # Each function's own permissions (iam.tf): what its code calls, on what.
  function_policy = {
    "sms-inbound"      = data.aws_iam_policy_document.sms_inbound.json
    "opt-out-api"      = data.aws_iam_policy_document.opt_out_api.json
    "deadline-monitor" = data.aws_iam_policy_document.deadline_monitor.json
    "reminders"        = data.aws_iam_policy_document.reminders.json
    "delivery-events"  = data.aws_iam_policy_document.delivery_events.json
    "notify"           = data.aws_iam_policy_document.notify.json
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
  memory_size      = local.function_settings[each.key].memory_size
  timeout          = local.function_settings[each.key].timeout

  environment {
    variables = local.function_environment[each.key]
  }

  # Lambda's advanced logging controls: the scaffold reads AWS_LAMBDA_LOG_FORMAT and
  # AWS_LAMBDA_LOG_LEVEL, which Lambda sets from these. Log levels apply to the JSON format only.
  logging_config {
    log_format            = var.log_format
    log_group             = aws_cloudwatch_log_group.fn[each.key].name
    application_log_level = var.log_format == "JSON" ? var.log_level : null
    system_log_level      = var.log_format == "JSON" ? "WARN" : null
  }

  tracing_config {
    mode = var.enable_xray ? "Active" : "PassThrough"
  }

  # The role's policy must exist before the first invocation can use it.
  depends_on = [aws_iam_role_policy.fn]

  lifecycle {
    precondition {
      condition     = contains(keys(local.function_policy), each.key)
      error_message = "functions/functions.json lists ${each.key}, but local.function_policy (terraform/functions.tf) has no policy for it: write its data.aws_iam_policy_document in iam.tf (docs/functions.md)."
    }
    precondition {
      condition     = alltrue([for name in keys(var.function_settings) : contains(keys(local.functions), name)])
      error_message = "function_settings names a function that functions/functions.json does not list: ${join(", ", [for name in keys(var.function_settings) : name if !contains(keys(local.functions), name)])}."
    }
  }
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
