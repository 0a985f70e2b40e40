output "api_url" {
  description = "Base URL of the HTTP API (POST /opt-out, POST /opt-in, GET /contacts/{phone_number}, GET /contacts/{phone_number}/history, GET /opt-outs)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "function_url" {
  description = "opt-out-api's Function URL (IAM auth), when opt_out_function_url is true."
  value       = var.opt_out_function_url ? aws_lambda_function_url.opt_out[0].function_url : null
}

output "function_url_invoke_policy" {
  description = "Policy a Function URL caller needs: lambda:InvokeFunctionUrl and lambda:InvokeFunction together."
  value       = data.aws_iam_policy_document.function_url_invoke.json
}

output "inbound_topic_arn" {
  description = "SNS topic End User Messaging publishes inbound texts to."
  value       = aws_sns_topic.inbound.arn
}

output "delivery_events_topic_arn" {
  description = "SNS topic the configuration set's event destination publishes every SMS event to (delivery-events is subscribed)."
  value       = aws_sns_topic.delivery_events.arn
}

output "configuration_set_name" {
  description = "End User Messaging configuration set the functions send with (owned by a CloudFormation stack, for its event destination)."
  value       = local.configuration_set_name
}

output "phone_number" {
  description = "The origination phone number (E.164), or the existing identity's ARN."
  value       = var.existing_origination_identity != "" ? var.existing_origination_identity : aws_pinpointsmsvoicev2_phone_number.this[0].phone_number
}

output "origination_identity_arn" {
  description = "ARN the functions send from."
  value       = local.origination_identity_arn
}

output "opt_out_list_name" {
  description = "End User Messaging opt-out list."
  value       = aws_pinpointsmsvoicev2_opt_out_list.this.name
}

output "table_names" {
  description = "DynamoDB tables by role."
  value = {
    contacts     = aws_dynamodb_table.contacts.name
    message_log  = aws_dynamodb_table.message_log.name
    appointments = aws_dynamodb_table.appointments.name
  }
}

output "alerts_topic_arn" {
  description = "SNS topic every alarm notifies (subscribe more endpoints to it)."
  value       = aws_sns_topic.alerts.arn
}

output "function_names" {
  description = "Deployed Lambda function names."
  value       = { for name, f in aws_lambda_function.fn : name => f.function_name }
}

output "notify_queue_url" {
  description = "The SQS queue business systems send notify requests to (JSON bodies, README \"notify\")."
  value       = aws_sqs_queue.notify.url
}

output "notify_messages_url" {
  description = "POST /messages: the same request over HTTPS, signed with SigV4 (execute-api)."
  value       = "${aws_apigatewayv2_api.opt_out.api_endpoint}/messages"
}

output "notify_sender_policy" {
  description = "IAM policy JSON a business system needs to send through notify: enqueue requests, or call POST /messages."
  value       = data.aws_iam_policy_document.notify_sender.json
}

data "aws_iam_policy_document" "notify_sender" {
  statement {
    sid       = "EnqueueNotifyRequests"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.notify.arn]
  }
  statement {
    sid       = "PostMessages"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_apigatewayv2_api.opt_out.execution_arn}/*/POST/messages"]
  }
}
