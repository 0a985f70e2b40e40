# terraform test: plans the whole stack with a mocked AWS provider for every
# number type and both architectures (refusals.tftest.hcl: what it refuses).
#
# mock_provider "aws" answers plans and data reads with made-up values, but it
# loads the real provider's schema and runs the provider's validators on every
# known value: an unknown runtime, architecture, number type, message type or
# log retention fails here as AWS would refuse it. Run by tests/terraform
# (`node tests/terraform/tf.mjs test`), which initialises a copy of this module
# against a local provider. Needs Terraform >= 1.9 (override_during).
#
# Number type and architecture are independent in the module (one shapes the
# phone number, the other the functions), so four plans cover each number type
# once and each architecture twice.

mock_provider "aws" {
  # Policy documents are data sources, so the mock would return random text,
  # which the provider's IAM validators rightly refuse. Any valid document
  # stands in: what each policy grants is checked against the C++ sources by
  # the offline checks (tests/terraform/lib/checks.mjs).
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
}

# Known during plan, so assertions can follow the inbound topic's ARN.
override_resource {
  target          = aws_sns_topic.inbound
  override_during = plan
  values = {
    arn = "arn:aws:sns:us-east-1:123456789012:sms-compliance-inbound-sms"
  }
}

# The same for the delivery-events topic (the configuration set's event destination).
override_resource {
  target          = aws_sns_topic.delivery_events
  override_during = plan
  values = {
    arn = "arn:aws:sns:us-east-1:123456789012:sms-compliance-delivery-events"
  }
}

variables {
  program_name = "Acme Dental"
  help_contact = "help@acme.example"
  # Empty zips: a plan only hashes them (not in a dist/ folder: .gitignore
  # ignores every dist/).
  dist_dir = "tests/fixtures/zips"
}

run "simulator_x86_64_defaults" {
  command = plan

  assert {
    condition     = length(aws_lambda_function.fn) == length(local.functions) && alltrue([for name in ["sms-inbound", "opt-out-api", "deadline-monitor", "reminders"] : contains(keys(aws_lambda_function.fn), name)])
    error_message = "every function of functions/functions.json, the four of the README among them"
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.architectures == tolist(["x86_64"])])
    error_message = "every function must be built for x86_64 by default"
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.runtime == "provided.al2023" && f.handler == "bootstrap"])
    error_message = "every function must run bootstrap on provided.al2023 by default"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].number_type == "SIMULATOR" && aws_pinpointsmsvoicev2_phone_number.this[0].iso_country_code == "US"
    error_message = "a US simulator number by default"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].registration_id == null
    error_message = "no registration_id unless one is given"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].two_way_channel_enabled && aws_pinpointsmsvoicev2_phone_number.this[0].two_way_channel_arn == "arn:aws:sns:us-east-1:123456789012:sms-compliance-inbound-sms"
    error_message = "inbound texts must go to the inbound topic (two-way channel)"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].self_managed_opt_outs_enabled
    error_message = "STOP and HELP must reach sms-inbound (self-managed opt-outs)"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].opt_out_list_name == aws_pinpointsmsvoicev2_opt_out_list.this.name
    error_message = "the number must use the stack's opt-out list"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].message_type == "TRANSACTIONAL"
    error_message = "the number is TRANSACTIONAL by default"
  }
  assert {
    condition     = !can(jsondecode(aws_cloudformation_stack.configuration_set.template_body).Resources.ConfigurationSet.Properties.DefaultMessageType)
    error_message = "the configuration set must not rely on a default message type (the functions name the type on every message)"
  }
  assert {
    condition = (
      jsondecode(aws_cloudformation_stack.configuration_set.template_body).Resources.ConfigurationSet.Type == "AWS::SMSVOICE::ConfigurationSet" &&
      jsondecode(aws_cloudformation_stack.configuration_set.template_body).Resources.ConfigurationSet.Properties.EventDestinations[0].Enabled &&
      jsondecode(aws_cloudformation_stack.configuration_set.template_body).Resources.ConfigurationSet.Properties.EventDestinations[0].MatchingEventTypes == ["TEXT_ALL"] &&
      jsondecode(aws_cloudformation_stack.configuration_set.template_body).Resources.ConfigurationSet.Properties.EventDestinations[0].SnsDestination.TopicArn.Ref == "EventsTopicArn" &&
      aws_cloudformation_stack.configuration_set.parameters["EventsTopicArn"] == "arn:aws:sns:us-east-1:123456789012:sms-compliance-delivery-events"
    )
    error_message = "the configuration set's event destination must send every SMS event (TEXT_ALL) to the delivery-events topic"
  }
  assert {
    condition     = aws_sns_topic_subscription.delivery_events.topic_arn == aws_cloudformation_stack.configuration_set.parameters["EventsTopicArn"] && aws_sns_topic_subscription.delivery_events.protocol == "lambda" && aws_lambda_permission.delivery_events_sns.principal == "sns.amazonaws.com"
    error_message = "delivery-events must be subscribed to (and invocable by) the topic the event destination publishes to"
  }
  assert {
    condition     = alltrue([for name in ["sms-inbound", "reminders"] : aws_lambda_function.fn[name].environment[0].variables["CONFIGURATION_SET_NAME"] == "sms-compliance-sms"])
    error_message = "the functions that send name the stack's configuration set"
  }
  assert {
    condition     = local.configuration_set_arn == "arn:${data.aws_partition.current.partition}:sms-voice:us-east-1:123456789012:configuration-set/sms-compliance-sms"
    error_message = "the configuration set's ARN (IAM, the topic policy's aws:SourceArn) names the set the stack creates"
  }
  assert {
    condition     = contains(keys(aws_sqs_queue.dlq), "delivery-events") && aws_lambda_function_event_invoke_config.fn["delivery-events"].maximum_retry_attempts == 2
    error_message = "delivery-events is asynchronous: Lambda retries, then its dead-letter queue"
  }
  assert {
    condition     = aws_sns_topic_subscription.inbound.topic_arn == aws_pinpointsmsvoicev2_phone_number.this[0].two_way_channel_arn && aws_sns_topic_subscription.inbound.protocol == "lambda"
    error_message = "sms-inbound must be subscribed to the topic the number publishes to"
  }
  assert {
    condition     = aws_lambda_function.fn["reminders"].environment[0].variables["SMS_MAX_PARTS_PER_SECOND"] == "3"
    error_message = "reminders send 3 parts per second by default (the toll-free rate)"
  }
  assert {
    condition     = aws_apigatewayv2_route.opt_out["POST /opt-out"].authorization_type == "AWS_IAM"
    error_message = "POST /opt-out needs IAM unless public_opt_out"
  }
  assert {
    condition     = length(aws_lambda_function_url.opt_out) == 0 && length(aws_sns_topic_subscription.alerts_email) == 0
    error_message = "no Function URL and no e-mail subscription by default"
  }
  assert {
    condition     = !contains(keys(aws_lambda_function.fn["sms-inbound"].environment[0].variables), "BACKEND_URL")
    error_message = "no BACKEND_URL unless backend_url is set"
  }
  assert {
    condition     = alltrue([for t in [aws_dynamodb_table.contacts, aws_dynamodb_table.message_log, aws_dynamodb_table.appointments] : t.deletion_protection_enabled && t.point_in_time_recovery[0].enabled])
    error_message = "tables: deletion protection and point-in-time recovery by default"
  }
}

run "toll_free_arm64" {
  command = plan

  variables {
    number_type     = "TOLL_FREE"
    architecture    = "arm64"
    runtime         = "provided.al2"
    registration_id = "registration-0123456789abcdef0123456789abcdef"
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.architectures == tolist(["arm64"])])
    error_message = "every function must be built for arm64"
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.runtime == "provided.al2"])
    error_message = "runtime must follow var.runtime"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].number_type == "TOLL_FREE" && aws_pinpointsmsvoicev2_phone_number.this[0].iso_country_code == "US"
    error_message = "a US toll-free number"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].registration_id == "registration-0123456789abcdef0123456789abcdef"
    error_message = "registration_id must be passed to the number"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].two_way_channel_enabled && aws_pinpointsmsvoicev2_phone_number.this[0].self_managed_opt_outs_enabled
    error_message = "two-way SMS and self-managed opt-outs on every number type"
  }
}

run "ten_dlc_x86_64" {
  command = plan

  variables {
    number_type              = "TEN_DLC"
    architecture             = "x86_64"
    registration_id          = "registration-fedcba9876543210fedcba9876543210"
    sms_max_parts_per_second = 15
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.architectures == tolist(["x86_64"])])
    error_message = "every function must be built for x86_64"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].number_type == "TEN_DLC" && aws_pinpointsmsvoicev2_phone_number.this[0].iso_country_code == "US"
    error_message = "a US 10DLC number"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].registration_id == "registration-fedcba9876543210fedcba9876543210"
    error_message = "a 10DLC number must be requested with its campaign registration"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].two_way_channel_enabled && aws_pinpointsmsvoicev2_phone_number.this[0].self_managed_opt_outs_enabled
    error_message = "two-way SMS and self-managed opt-outs on every number type"
  }
  assert {
    condition     = aws_lambda_function.fn["reminders"].environment[0].variables["SMS_MAX_PARTS_PER_SECOND"] == "15"
    error_message = "reminders' pace must follow sms_max_parts_per_second"
  }
}

run "long_code_arm64" {
  command = plan

  variables {
    number_type      = "LONG_CODE"
    iso_country_code = "GB"
    architecture     = "arm64"
    message_type     = "PROMOTIONAL"
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.architectures == tolist(["arm64"])])
    error_message = "every function must be built for arm64"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].number_type == "LONG_CODE" && aws_pinpointsmsvoicev2_phone_number.this[0].iso_country_code == "GB"
    error_message = "a long code in the country given"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].message_type == "PROMOTIONAL"
    error_message = "message_type must follow var.message_type"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].two_way_channel_enabled && aws_pinpointsmsvoicev2_phone_number.this[0].self_managed_opt_outs_enabled
    error_message = "two-way SMS and self-managed opt-outs on every number type"
  }
}

run "existing_origination_identity" {
  command = plan

  variables {
    existing_origination_identity = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"
    # Ignored with an existing identity: no precondition may fire.
    number_type = "TEN_DLC"
  }

  assert {
    condition     = length(aws_pinpointsmsvoicev2_phone_number.this) == 0
    error_message = "no number is requested when an existing identity is given"
  }
  assert {
    condition = (
      aws_lambda_function.fn["sms-inbound"].environment[0].variables["ORIGINATION_IDENTITY"] == "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef" &&
      aws_lambda_function.fn["reminders"].environment[0].variables["ORIGINATION_IDENTITY"] == "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"
    )
    error_message = "the senders must send from the existing identity"
  }
  assert {
    condition     = output.origination_identity_arn == "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"
    error_message = "output origination_identity_arn must name the existing identity"
  }
}

run "options" {
  command = plan

  variables {
    public_opt_out       = true
    opt_out_function_url = true
    schedules_enabled    = false
    alert_email          = "oncall@acme.example"
    backend_url          = "https://backend.acme.example/sms"
  }

  assert {
    condition     = aws_apigatewayv2_route.opt_out["POST /opt-out"].authorization_type == "NONE"
    error_message = "public_opt_out must open POST /opt-out"
  }
  assert {
    condition     = aws_apigatewayv2_route.opt_out["POST /opt-in"].authorization_type == "AWS_IAM" && aws_apigatewayv2_route.opt_out["GET /contacts/{phone_number}"].authorization_type == "AWS_IAM"
    error_message = "/opt-in and /contacts always need IAM"
  }
  assert {
    condition     = length(aws_lambda_function_url.opt_out) == 1 && aws_lambda_function_url.opt_out[0].authorization_type == "AWS_IAM"
    error_message = "the Function URL must use IAM auth"
  }
  assert {
    condition     = alltrue([for s in aws_scheduler_schedule.fn : s.state == "DISABLED"])
    error_message = "schedules_enabled = false must disable both schedules"
  }
  assert {
    condition     = length(aws_sns_topic_subscription.alerts_email) == 1
    error_message = "alert_email must be subscribed to the alerts topic"
  }
  assert {
    condition     = aws_lambda_function.fn["sms-inbound"].environment[0].variables["BACKEND_URL"] == "https://backend.acme.example/sms"
    error_message = "backend_url must reach sms-inbound"
  }
}

# A template's Spanish variant (text_es) reaches notify in NOTIFY_TEMPLATES; a template without
# one carries null, which notify reads as no variant (functions/notify/request.hpp).
run "notify_template_spanish_variant" {
  command = plan

  variables {
    notify_templates = {
      offer = {
        text     = "{program}: {name}, 20% off. Reply STOP to opt out."
        category = "marketing"
        text_es  = "{program}: {name}, 20% de descuento. Responda ALTO para no recibir mensajes."
      }
      note = { text = "{program}: {text}" }
    }
  }

  assert {
    condition     = jsondecode(aws_lambda_function.fn["notify"].environment[0].variables["NOTIFY_TEMPLATES"]).offer.text_es == "{program}: {name}, 20% de descuento. Responda ALTO para no recibir mensajes."
    error_message = "text_es must reach notify's NOTIFY_TEMPLATES"
  }
  assert {
    condition     = jsondecode(aws_lambda_function.fn["notify"].environment[0].variables["NOTIFY_TEMPLATES"]).note.text_es == null
    error_message = "a template without text_es reaches notify with text_es null"
  }
}

# functions/functions.json gives each function's memory and timeout; function_settings changes
# only what it names. log_format reaches every function (Lambda sets AWS_LAMBDA_LOG_FORMAT).
run "function_settings_and_text_logs" {
  command = plan

  variables {
    function_settings = { "opt-out-api" = { timeout = 29 } }
    log_format        = "Text"
  }

  assert {
    condition     = aws_lambda_function.fn["opt-out-api"].timeout == 29 && aws_lambda_function.fn["opt-out-api"].memory_size == 256
    error_message = "function_settings overrides the field it names, and only that one"
  }
  assert {
    condition     = aws_lambda_function.fn["sms-inbound"].timeout == 60 && aws_lambda_function.fn["reminders"].timeout == 600 && aws_lambda_function.fn["deadline-monitor"].timeout == 300
    error_message = "the other functions keep the timeouts of functions/functions.json"
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.logging_config[0].log_format == "Text"])
    error_message = "log_format = Text must reach every function"
  }
  assert {
    condition     = length(aws_lambda_function.fn["opt-out-api"].environment[0].variables) == 4 && aws_lambda_function.fn["deadline-monitor"].environment[0].variables["METRICS_NAMESPACE"] == "SmsCompliance"
    error_message = "each function gets exactly the variables its functions/functions.json entry lists"
  }
}
