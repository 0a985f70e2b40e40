# End User Messaging SMS: opt-out list, configuration set, the origination number
# with two-way SMS to the inbound topic and self-managed opt-outs (STOP and HELP
# reach sms-inbound instead of an automatic reply), and the inbound SNS topic.

resource "aws_pinpointsmsvoicev2_opt_out_list" "this" {
  name = "${var.name_prefix}-opt-outs"
}

# No default_message_type: the functions name the message type on every
# SendTextMessage (TRANSACTIONAL), so the set's default is never consulted. And
# hashicorp/aws (5.100 to 6.x at least) sends it only from its update path, not
# on create: a first apply would leave the set without it and report a change
# on the next plan.
resource "aws_pinpointsmsvoicev2_configuration_set" "this" {
  name = "${var.name_prefix}-sms"
}

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
