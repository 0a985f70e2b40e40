# End User Messaging SMS: opt-out list, configuration set, the origination number
# with two-way SMS to the inbound topic and self-managed opt-outs (STOP and HELP
# reach sms-inbound instead of an automatic reply), and the inbound SNS topic.

resource "aws_pinpointsmsvoicev2_opt_out_list" "this" {
  name = "${var.name_prefix}-opt-outs"
}

resource "aws_pinpointsmsvoicev2_configuration_set" "this" {
  name                 = "${var.name_prefix}-sms"
  default_message_type = var.message_type
}

resource "aws_pinpointsmsvoicev2_phone_number" "this" {
  count = var.existing_origination_identity == "" ? 1 : 0

  iso_country_code              = "US"
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
