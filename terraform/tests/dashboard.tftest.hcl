# terraform test: the CloudWatch dashboard and the texts' alarms (dashboard.tf, alarms.tf), with
# the mocked provider of stack.tftest.hcl. tests/terraform (`node tests/terraform/tf.mjs
# dashboard`) also runs this file with -json -verbose and checks the planned dashboard body and
# alarms against CloudWatch's body structure and against the metrics the functions' C++ code
# emits (tests/terraform/lib/dashboard.mjs).

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
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
}

variables {
  program_name = "Acme Dental"
  help_contact = "help@acme.example"
  dist_dir     = "tests/fixtures/zips"
}

run "defaults" {
  command = plan

  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.main.dashboard_body).widgets : try(w.properties.region, "us-east-1") == "us-east-1"])
    error_message = "every widget shows the stack's region"
  }
  assert {
    condition = (
      jsondecode(aws_cloudwatch_dashboard.main.dashboard_body).widgets[0].type == "alarm" &&
      jsondecode(aws_cloudwatch_dashboard.main.dashboard_body).widgets[0].properties.alarms == [for name in local.dashboard_alarm_names : "arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}"] &&
      alltrue([for name in ["sms-compliance-delivery-success", "sms-compliance-opt-out-rate", "sms-compliance-TextSpam", "sms-compliance-OptOutsOverdue", "sms-compliance-sms-inbound-errors"] : contains(local.dashboard_alarm_names, name)])
    )
    error_message = "the first widget lists the alarms by ARN (that it lists every alarm: tests/terraform, terraform_dashboard)"
  }
  assert {
    condition     = alltrue([for name in keys(local.functions) : length([for w in jsondecode(aws_cloudwatch_dashboard.main.dashboard_body).widgets : w if try(w.properties.title, "") == "${name}: duration (ms)"]) == 1])
    error_message = "a row per function of functions/functions.json"
  }
  assert {
    condition     = local.dashboard_function_names == { for name, fn in aws_lambda_function.fn : name => fn.function_name } && aws_cloudwatch_dashboard.main.dashboard_name == "sms-compliance"
    error_message = "the dashboard names the deployed functions; it is named after name_prefix"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.delivery_success.threshold == 95 &&
      aws_cloudwatch_metric_alarm.delivery_success.comparison_operator == "LessThanThreshold" &&
      aws_cloudwatch_metric_alarm.delivery_success.treat_missing_data == "notBreaching" &&
      alltrue([for q in aws_cloudwatch_metric_alarm.delivery_success.metric_query : q.metric[0].period == 3600 if length(q.metric) > 0]) &&
      one([for q in aws_cloudwatch_metric_alarm.delivery_success.metric_query : q.expression if q.return_data == true]) == "IF(final >= 1, 100 * FILL(delivered, 0) / final, 100)"
    )
    error_message = "delivery success: under 95 % over an hour; an hour without texts is not breaching"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.opt_out_rate.threshold == 5 &&
      aws_cloudwatch_metric_alarm.opt_out_rate.comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.opt_out_rate.treat_missing_data == "notBreaching" &&
      alltrue([for q in aws_cloudwatch_metric_alarm.opt_out_rate.metric_query : q.metric[0].period == 86400 if length(q.metric) > 0]) &&
      one([for q in aws_cloudwatch_metric_alarm.opt_out_rate.metric_query : q.expression if q.return_data == true]) == "IF(sent >= 1, 100 * FILL(opt_outs, 0) / sent, 0)" &&
      one([for q in aws_cloudwatch_metric_alarm.opt_out_rate.metric_query : q.expression if q.id == "sent"]) == "FILL(sent_0, 0) + FILL(sent_1, 0)"
    )
    error_message = "opt-out rate: over 5 % of the texts sent over a day; a day without texts is not breaching"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.text_spam["TextSpam"].metric_name == "TextSpam" &&
      aws_cloudwatch_metric_alarm.text_spam["TextSpam"].dimensions["FunctionName"] == "sms-compliance-delivery-events" &&
      aws_cloudwatch_metric_alarm.text_spam["TextSpam"].threshold == 0 &&
      aws_cloudwatch_metric_alarm.text_spam["TextSpam"].comparison_operator == "GreaterThanThreshold"
    )
    error_message = "any TEXT_SPAM alarms"
  }
}

# Thresholds, region and namespace follow the variables (a namespace with a "/" is quoted in the
# SEARCH expressions).
run "thresholds_region_namespace" {
  command = plan

  variables {
    region                         = "eu-west-2"
    metrics_namespace              = "Acme/Sms"
    delivery_success_alarm_percent = 98
    opt_out_rate_alarm_percent     = 2.5
    rate_alarm_min_texts           = 50
  }

  assert {
    condition     = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.main.dashboard_body).widgets : try(w.properties.region, "eu-west-2") == "eu-west-2"]) && alltrue([for arn in jsondecode(aws_cloudwatch_dashboard.main.dashboard_body).widgets[0].properties.alarms : startswith(arn, "arn:aws:cloudwatch:eu-west-2:")])
    error_message = "widgets and alarm ARNs follow var.region"
  }
  assert {
    condition     = strcontains(aws_cloudwatch_dashboard.main.dashboard_body, "SEARCH('{\\\"Acme/Sms\\\",FunctionName,Reason}")
    error_message = "SEARCH quotes the namespace"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.delivery_success.threshold == 98 &&
      one([for q in aws_cloudwatch_metric_alarm.delivery_success.metric_query : q.expression if q.return_data == true]) == "IF(final >= 50, 100 * FILL(delivered, 0) / final, 100)" &&
      aws_cloudwatch_metric_alarm.opt_out_rate.threshold == 2.5 &&
      one([for q in aws_cloudwatch_metric_alarm.opt_out_rate.metric_query : q.expression if q.return_data == true]) == "IF(sent >= 50, 100 * FILL(opt_outs, 0) / sent, 0)"
    )
    error_message = "the alarms follow the threshold variables"
  }
  assert {
    condition     = alltrue([for q in aws_cloudwatch_metric_alarm.opt_out_rate.metric_query : q.metric[0].namespace == "Acme/Sms" if length(q.metric) > 0])
    error_message = "the alarms read the functions' namespace"
  }
}

run "delivery_success_percent_zero" {
  command = plan
  variables {
    delivery_success_alarm_percent = 0
  }
  expect_failures = [var.delivery_success_alarm_percent]
}

run "opt_out_rate_percent_hundred" {
  command = plan
  variables {
    opt_out_rate_alarm_percent = 100
  }
  expect_failures = [var.opt_out_rate_alarm_percent]
}

run "rate_alarm_min_texts_fraction" {
  command = plan
  variables {
    rate_alarm_min_texts = 0.5
  }
  expect_failures = [var.rate_alarm_min_texts]
}
