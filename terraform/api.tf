# HTTP API (API Gateway v2, payload format 2.0) in front of opt-out-api.
# /opt-in, /contacts (status and history, which carries message bodies) and /opt-outs (the period
# report) need IAM (SigV4) callers; /opt-out may be public.

resource "aws_apigatewayv2_api" "opt_out" {
  name          = "${var.name_prefix}-opt-out"
  protocol_type = "HTTP"
  description   = "Universal opt-out, consent capture and consent status."
}

resource "aws_apigatewayv2_integration" "opt_out" {
  api_id                 = aws_apigatewayv2_api.opt_out.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn["opt-out-api"].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 15000
}

locals {
  api_routes = {
    "POST /opt-out"                        = var.public_opt_out ? "NONE" : "AWS_IAM"
    "POST /opt-in"                         = "AWS_IAM"
    "GET /contacts/{phone_number}"         = "AWS_IAM"
    "GET /contacts/{phone_number}/history" = "AWS_IAM"
    "GET /opt-outs"                        = "AWS_IAM"
  }
}

resource "aws_apigatewayv2_route" "opt_out" {
  for_each = local.api_routes

  api_id             = aws_apigatewayv2_api.opt_out.id
  route_key          = each.key
  authorization_type = each.value
  target             = "integrations/${aws_apigatewayv2_integration.opt_out.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.opt_out.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.api_throttling_rate_limit
    throttling_burst_limit = var.api_throttling_burst_limit
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn["opt-out-api"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.opt_out.execution_arn}/*/*"
}

# Optional Function URL. With IAM auth, a caller's own policy must allow both
# lambda:InvokeFunctionUrl and lambda:InvokeFunction (output
# function_url_invoke_policy); neither alone is enough.
resource "aws_lambda_function_url" "opt_out" {
  count = var.opt_out_function_url ? 1 : 0

  function_name      = aws_lambda_function.fn["opt-out-api"].function_name
  authorization_type = "AWS_IAM"
}

data "aws_iam_policy_document" "function_url_invoke" {
  statement {
    sid       = "InvokeOptOutApiFunctionUrl"
    actions   = ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]
    resources = [aws_lambda_function.fn["opt-out-api"].arn]
  }
}
