# terraform test: what the module refuses at plan time (variable validations and
# the phone number's preconditions), with the same mocked provider as
# stack.tftest.hcl. Each refusal is an expected failure: if a validation or
# precondition stops refusing, its run fails. Where the provider's own
# validator would also refuse a value (runtime, architecture, log retention,
# message type), the module's validation answers first, with its own message.

mock_provider "aws" {
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

variables {
  program_name = "Acme Dental"
  help_contact = "help@acme.example"
  dist_dir     = "tests/fixtures/zips"
}

run "ten_dlc_without_registration" {
  command = plan

  variables {
    number_type = "TEN_DLC"
  }

  expect_failures = [aws_pinpointsmsvoicev2_phone_number.this]
}

run "ten_dlc_outside_the_us" {
  command = plan

  variables {
    number_type      = "TEN_DLC"
    registration_id  = "registration-fedcba9876543210fedcba9876543210"
    iso_country_code = "CA"
  }

  expect_failures = [aws_pinpointsmsvoicev2_phone_number.this]
}

run "long_code_in_the_us" {
  command = plan

  variables {
    number_type      = "LONG_CODE"
    iso_country_code = "US"
  }

  expect_failures = [aws_pinpointsmsvoicev2_phone_number.this]
}

# function_settings for a function functions/functions.json does not list: a typo would
# otherwise change nothing, silently.
run "function_settings_for_an_unknown_function" {
  command = plan

  variables {
    function_settings = { "sms-inbund" = { timeout = 30 } }
  }

  expect_failures = [aws_lambda_function.fn]
}

# Every variable validation at once: each listed variable must fail its own.
run "malformed_variables" {
  command = plan

  variables {
    number_type                   = "SHORT_CODE"
    architecture                  = "x86-64"
    runtime                       = "provided"
    message_type                  = "OTP"
    iso_country_code              = "USA"
    registration_id               = "registration 42"
    existing_origination_identity = "+12065550100"
    log_retention_days            = 2
    log_level                     = "TRACE"
    log_format                    = "Plain"
    region                        = "useast1"
    name_prefix                   = "SMS"
    backend_url                   = "ftp://backend.acme.example"
    alert_email                   = "oncall"
    reminder_lead_times           = "1d"
    sms_max_parts_per_second      = 0
    state_emergencies             = ["TX"]
    program_name                  = " "
    help_contact                  = ""
    function_settings = {
      "sms-inbound"      = { memory_size = 256, timeout = 900 }
      "opt-out-api"      = { memory_size = 256, timeout = 15 }
      "deadline-monitor" = { memory_size = 256, timeout = 300 }
      "reminders"        = { memory_size = 256, timeout = 600 }
    }
  }

  expect_failures = [
    var.number_type,
    var.architecture,
    var.runtime,
    var.message_type,
    var.iso_country_code,
    var.registration_id,
    var.existing_origination_identity,
    var.log_retention_days,
    var.log_level,
    var.log_format,
    var.region,
    var.name_prefix,
    var.backend_url,
    var.alert_email,
    var.reminder_lead_times,
    var.sms_max_parts_per_second,
    var.state_emergencies,
    var.program_name,
    var.help_contact,
    var.function_settings,
  ]
}

# A Spanish variant of a marketing template without opt-out instructions (STOP or ALTO), and an
# empty variant: refused at plan time, before notify would refuse them at start-up.
run "notify_template_spanish_variant_without_opt_out" {
  command = plan

  variables {
    notify_templates = {
      offer = {
        text     = "{program}: 20% off this week. Reply STOP to opt out."
        category = "marketing"
        text_es  = "{program}: 20% de descuento esta semana."
      }
    }
  }

  expect_failures = [var.notify_templates]
}

run "notify_template_empty_spanish_variant" {
  command = plan

  variables {
    notify_templates = {
      update = { text = "{program}: your order shipped.", text_es = "" }
    }
  }

  expect_failures = [var.notify_templates]
}
