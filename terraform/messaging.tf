# End User Messaging SMS: opt-out list, configuration set with its event destination (every SMS
# event to the delivery-events topic), the origination number with two-way SMS to the inbound
# topic and self-managed opt-outs (STOP and HELP reach sms-inbound instead of an automatic reply),
# and the two SNS topics.

resource "aws_pinpointsmsvoicev2_opt_out_list" "this" {
  name = "${var.name_prefix}-opt-outs"
}

# The configuration set and its event destination. hashicorp/aws 5.x has no resource for an
# event destination (aws_pinpointsmsvoicev2_event_destination exists only in recent 6.x releases)
# and aws_pinpointsmsvoicev2_configuration_set cannot carry one; CloudFormation's
# AWS::SMSVOICE::ConfigurationSet carries both, so a stack of that one resource owns the set.
# Every SMS event (TEXT_ALL) goes to the delivery-events topic. No default message type: the type
# does not exist on the CloudFormation resource, and the functions name it on every message.
resource "aws_cloudformation_stack" "configuration_set" {
  name = "${var.name_prefix}-sms-configuration-set"

  parameters = {
    ConfigurationSetName = local.configuration_set_planned_name
    EventsTopicArn       = aws_sns_topic.delivery_events.arn
  }

  template_body = jsonencode({
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "End User Messaging SMS configuration set of ${var.name_prefix}, with its SNS event destination (Terraform: terraform/messaging.tf)."
    Parameters = {
      ConfigurationSetName = { Type = "String" }
      EventsTopicArn       = { Type = "String" }
    }
    Resources = {
      ConfigurationSet = {
        Type = "AWS::SMSVOICE::ConfigurationSet"
        Properties = {
          ConfigurationSetName = { Ref = "ConfigurationSetName" }
          EventDestinations = [{
            EventDestinationName = "delivery-events"
            Enabled              = true
            MatchingEventTypes   = ["TEXT_ALL"]
            SnsDestination       = { TopicArn = { Ref = "EventsTopicArn" } }
          }]
        }
      }
    }
    Outputs = {
      Arn = { Value = { "Fn::GetAtt" = ["ConfigurationSet", "Arn"] } }
    }
  })

  # End User Messaging checks that it may publish before it accepts the topic.
  depends_on = [aws_sns_topic_policy.delivery_events]
}

locals {
  configuration_set_planned_name = "${var.name_prefix}-sms"
  # Read back from the stack (its parameter), so the functions that send with it wait for it.
  configuration_set_name = aws_cloudformation_stack.configuration_set.parameters["ConfigurationSetName"]
  # Built from the name, not read from the stack: the events topic's policy names it, and the
  # stack waits for that policy.
  configuration_set_arn = "arn:${data.aws_partition.current.partition}:sms-voice:${var.region}:${data.aws_caller_identity.current.account_id}:configuration-set/${local.configuration_set_planned_name}"
}

data "aws_partition" "current" {}

resource "aws_pinpointsmsvoicev2_phone_number" "this" {
  count = var.existing_origination_identity == "" ? 1 : 0

  iso_country_code              = var.iso_country_code
  message_type                  = var.message_type
  number_type                   = var.number_type
  number_capabilities           = ["SMS"]
  opt_out_list_name             = aws_pinpointsmsvoicev2_opt_out_list.this.name
  registration_id               = var.registration_id == "" ? null : var.registration_id
  self_managed_opt_outs_enabled = true
  two_way_channel_enabled       = true
  two_way_channel_arn           = aws_sns_topic.inbound.arn
  deletion_protection_enabled   = false

  # End User Messaging checks that it may publish before it accepts the topic.
  depends_on = [aws_sns_topic_policy.inbound]

  # What AWS would refuse at apply time (or accept and never deliver), refused
  # at plan time instead. US rules cover the US territories with their own codes.
  lifecycle {
    precondition {
      condition     = !(var.number_type == "LONG_CODE" && contains(local.us_country_codes, var.iso_country_code))
      error_message = "number_type LONG_CODE cannot text people in the US (iso_country_code = \"${var.iso_country_code}\"): US carriers refuse application-to-person texts from long codes. Use TOLL_FREE or TEN_DLC, or set iso_country_code to the long code's country."
    }
    precondition {
      condition     = var.number_type != "TEN_DLC" || var.iso_country_code == "US"
      error_message = "number_type TEN_DLC exists only in the US: set iso_country_code = \"US\" or choose another number type."
    }
    precondition {
      condition     = var.number_type != "TEN_DLC" || var.registration_id != ""
      error_message = "number_type TEN_DLC needs registration_id: the 10DLC campaign registration the number is requested for (AWS issues no 10DLC number without one). Register the brand and campaign in the End User Messaging console first."
    }
  }
}

locals {
  # ISO 3166-1 codes where US messaging rules apply (the US and its territories).
  us_country_codes = ["US", "PR", "VI", "GU", "AS"]
}

resource "aws_sns_topic" "inbound" {
  name = "${var.name_prefix}-inbound-sms"
}

data "aws_iam_policy_document" "inbound_topic" {
  statement {
    sid       = "EndUserMessagingPublishesInboundSms"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.inbound.arn]

    principals {
      type        = "Service"
      identifiers = ["sms-voice.amazonaws.com"]
    }

    # Only on behalf of this account (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "inbound" {
  arn    = aws_sns_topic.inbound.arn
  policy = data.aws_iam_policy_document.inbound_topic.json
}

resource "aws_sns_topic_subscription" "inbound" {
  topic_arn = aws_sns_topic.inbound.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.fn["sms-inbound"].arn
}

resource "aws_lambda_permission" "inbound_sns" {
  statement_id  = "AllowInboundSmsTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["sms-inbound"].function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.inbound.arn
}

# Delivery events: the configuration set's event destination publishes every SMS event here;
# delivery-events records them (its dead-letter queue and retries: functions.tf).
resource "aws_sns_topic" "delivery_events" {
  name = "${var.name_prefix}-delivery-events"
}

data "aws_iam_policy_document" "delivery_events_topic" {
  statement {
    sid       = "EndUserMessagingPublishesDeliveryEvents"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.delivery_events.arn]

    principals {
      type        = "Service"
      identifiers = ["sms-voice.amazonaws.com"]
    }

    # Only on behalf of this account and for this configuration set (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.configuration_set_arn]
    }
  }
}

resource "aws_sns_topic_policy" "delivery_events" {
  arn    = aws_sns_topic.delivery_events.arn
  policy = data.aws_iam_policy_document.delivery_events_topic.json
}

resource "aws_sns_topic_subscription" "delivery_events" {
  topic_arn = aws_sns_topic.delivery_events.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.fn["delivery-events"].arn
}

resource "aws_lambda_permission" "delivery_events_sns" {
  statement_id  = "AllowDeliveryEventsTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["delivery-events"].function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.delivery_events.arn
}
