# terraform test: the real provider (not a mock) plans the default stack,
# offline: static dummy credentials, no account lookup, no metadata service,
# and the one data source that would call AWS (the caller's identity)
# overridden. Nothing can be created: every run is a plan. This runs the
# provider's own plan logic and renders the policy documents that depend only
# on known values, so their JSON is the provider's, not a stand-in.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "dummy-secret-for-an-offline-plan"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

variables {
  program_name = "Acme Dental"
  help_contact = "help@acme.example"
  dist_dir     = "tests/fixtures/zips"
}

run "real_provider_plans_the_default_stack" {
  command = plan

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.lambda_trust.json).Statement[0].Principal.Service == "lambda.amazonaws.com"
    error_message = "the functions' roles must trust lambda.amazonaws.com"
  }
  assert {
    condition = (
      jsondecode(data.aws_iam_policy_document.scheduler_trust.json).Statement[0].Principal.Service == "scheduler.amazonaws.com" &&
      jsondecode(data.aws_iam_policy_document.scheduler_trust.json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    )
    error_message = "the scheduler role must trust scheduler.amazonaws.com for this account only"
  }
  assert {
    condition     = alltrue([for f in aws_lambda_function.fn : f.logging_config[0].log_format == "JSON" && f.logging_config[0].system_log_level == "WARN"])
    error_message = "every function logs JSON (advanced logging), system logs at WARN"
  }
  assert {
    condition     = aws_pinpointsmsvoicev2_phone_number.this[0].deletion_protection_enabled == false && aws_pinpointsmsvoicev2_phone_number.this[0].number_capabilities == toset(["SMS"])
    error_message = "an SMS-only number"
  }
  assert {
    condition     = jsondecode(aws_cloudformation_stack.configuration_set.template_body).Resources.ConfigurationSet.Properties.EventDestinations[0].MatchingEventTypes == ["TEXT_ALL"]
    error_message = "the provider plans the configuration set's stack with its event destination (every SMS event)"
  }
}
