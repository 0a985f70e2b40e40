// Purpose-made mistakes: each edit of a copy of terraform/ must make the named
// check fail with a message that names the mistake. Proves the checks can fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot, runChecks } from "./lib/run.mjs";

// A copy of terraform/ and of the list of functions beside it (functions/functions.json, which
// the module reads as ../functions/functions.json), with one edit in `file` (relative to the
// module: "../functions/functions.json" for the list).
async function withMistake(file, from, to) {
  const root = await mkdtemp(path.join(os.tmpdir(), "tf-mistake-"));
  const dir = path.join(root, "terraform");
  await cp(path.join(repoRoot, "terraform"), dir, { recursive: true });
  await cp(path.join(repoRoot, "functions/functions.json"), path.join(root, "functions/functions.json"));
  const target = path.join(dir, file);
  const source = await readFile(target, "utf8");
  assert.ok(source.includes(from), `test setup: ${file} no longer contains ${JSON.stringify(from)}`);
  await writeFile(target, source.replace(from, to));
  try {
    return (await runChecks(dir)).results;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const cases = [
  {
    name: "a misspelled resource argument",
    file: "messaging.tf", from: "self_managed_opt_outs_enabled = true", to: "self_managed_opt_out_enabled  = true",
    check: "arguments", expect: /unsupported argument "self_managed_opt_out_enabled"/,
  },
  {
    name: "a misspelled argument in a nested block",
    file: "functions.tf", from: "log_format            = var.log_format", to: "log_fromat            = var.log_format",
    check: "arguments", expect: /logging_config: unsupported argument "log_fromat"/,
  },
  {
    name: "an attribute only the provider sets",
    file: "messaging.tf", from: "  name = \"${var.name_prefix}-inbound-sms\"\n", to: "  name = \"${var.name_prefix}-inbound-sms\"\n  arn  = \"arn:aws:sns:us-east-1:123456789012:x\"\n",
    check: "arguments", expect: /aws_sns_topic\.inbound: "arn" is computed by the provider and cannot be set/,
  },
  {
    name: "a required argument missing",
    file: "messaging.tf", from: "  protocol  = \"lambda\"\n", to: "",
    check: "arguments", expect: /aws_sns_topic_subscription\.inbound: missing required argument "protocol"/,
  },
  {
    name: "an unused data source",
    file: "versions.tf", from: "data \"aws_caller_identity\" \"current\" {}\n", to: "data \"aws_caller_identity\" \"current\" {}\n\ndata \"aws_region\" \"current\" {}\n",
    check: "unused", expect: /data\.aws_region\.current is declared but never used/,
  },
  {
    name: "the SQS poller's permission missing from the function an event source mapping feeds",
    file: "iam.tf", from: "actions   = [\"sqs:ReceiveMessage\", \"sqs:DeleteMessage\", \"sqs:GetQueueAttributes\"]",
    to: "actions   = [\"sqs:DeleteMessage\", \"sqs:GetQueueAttributes\"]",
    check: "iam", expect: /notify: an event source mapping polls \$\{aws_sqs_queue\.notify\.arn\} but its role does not allow sqs:ReceiveMessage/,
  },
  {
    name: "an IAM action the code needs, removed",
    file: "iam.tf", from: "actions   = [\"sms-voice:PutOptedOutNumber\", \"sms-voice:DeleteOptedOutNumber\"]\n    resources = [aws_pinpointsmsvoicev2_opt_out_list.this.arn]\n  }\n}\n\ndata \"aws_iam_policy_document\" \"opt_out_api\"",
    to: "actions   = [\"sms-voice:PutOptedOutNumber\"]\n    resources = [aws_pinpointsmsvoicev2_opt_out_list.this.arn]\n  }\n}\n\ndata \"aws_iam_policy_document\" \"opt_out_api\"",
    check: "iam", expect: /sms-inbound: .* calls DeleteOptedOutNumber but its role does not allow sms-voice:DeleteOptedOutNumber/,
  },
  {
    name: "an IAM action granted on the wrong table",
    file: "iam.tf", from: "sid       = \"MessageLog\"\n    actions   = [\"dynamodb:GetItem\", \"dynamodb:PutItem\", \"dynamodb:UpdateItem\", \"dynamodb:BatchWriteItem\"]\n    resources = [aws_dynamodb_table.message_log.arn]",
    to: "sid       = \"MessageLog\"\n    actions   = [\"dynamodb:GetItem\", \"dynamodb:PutItem\", \"dynamodb:UpdateItem\", \"dynamodb:BatchWriteItem\"]\n    resources = [aws_dynamodb_table.appointments.arn]",
    check: "iam", expect: /sms-inbound: .* calls PutItem on MESSAGE_LOG_TABLE but its role does not allow dynamodb:PutItem/,
  },
  {
    name: "an IAM action the code never calls, added",
    file: "iam.tf", from: "actions   = [\"dynamodb:GetItem\", \"dynamodb:PutItem\", \"dynamodb:UpdateItem\", \"dynamodb:BatchWriteItem\"]",
    to: "actions   = [\"dynamodb:GetItem\", \"dynamodb:PutItem\", \"dynamodb:UpdateItem\", \"dynamodb:BatchWriteItem\", \"dynamodb:DeleteItem\"]",
    check: "iam", expect: /sms-inbound: role allows dynamodb:DeleteItem .* but the code never needs it/,
  },
  {
    name: "an environment variable the code requires, not set",
    file: "functions.tf", from: "    HELP_CONTACT             = var.help_contact\n", to: "",
    check: "environment", expect: /sms-inbound: requires HELP_CONTACT .* but Terraform does not set it/,
  },
  {
    name: "an environment variable no code reads, set",
    file: "../functions/functions.json", from: "\"OPT_OUT_LIST_NAME\", \"METRICS_NAMESPACE\"]\n    },\n    \"deadline-monitor\"", to: "\"OPT_OUT_LIST_NAME\", \"METRICS_NAMESPACE\", \"OPT_OUT_TOPIC\"]\n    },\n    \"deadline-monitor\"",
    check: "environment", expect: /opt-out-api: Terraform sets OPT_OUT_TOPIC but the code never reads it/,
  },
  {
    name: "a variable the code requires, missing from the function's list",
    file: "../functions/functions.json", from: "\"PROGRAM_NAME\", \"HELP_CONTACT\",", to: "\"PROGRAM_NAME\",",
    check: "environment", expect: /sms-inbound: requires HELP_CONTACT .* but Terraform does not set it \(not in its functions\/functions\.json "environment"\)/,
  },
  {
    name: "a function listed without its policy's shared part (log group, dead-letter queue)",
    file: "iam.tf", from: "  source_policy_documents = [data.aws_iam_policy_document.fn_base[\"reminders\"].json]\n\n", to: "",
    check: "iam", expect: /reminders: data\.aws_iam_policy_document\.reminders must include data\.aws_iam_policy_document\.fn_base\["reminders"\]/,
  },
  {
    name: "the list of functions written into the module instead of read from functions/functions.json",
    file: "functions.tf", from: "functions       = jsondecode(file(\"${path.module}/../functions/functions.json\")).functions", to: "functions       = { \"sms-inbound\" = {} }",
    check: "packages", expect: /local\.functions must be jsondecode\(file\(/,
  },
  {
    name: "a reference to an undeclared variable",
    file: "alarms.tf", from: "endpoint  = var.alert_email", to: "endpoint  = var.alerts_email",
    check: "references", expect: /refers to undeclared var\.alerts_email/,
  },
  {
    name: "a reference to an undeclared resource",
    file: "schedules.tf", from: "arn = aws_sqs_queue.scheduler_dlq.arn", to: "arn = aws_sqs_queue.scheduler_dead_letters.arn",
    check: "references", expect: /undeclared aws_sqs_queue\.scheduler_dead_letters/,
  },
  {
    name: "unformatted HCL",
    file: "outputs.tf", from: "  value       = aws_apigatewayv2_stage.default.invoke_url", to: "  value = aws_apigatewayv2_stage.default.invoke_url",
    check: "format", expect: /outputs\.tf:3: not formatted/,
  },
  {
    name: "self-managed opt-outs turned off",
    file: "messaging.tf", from: "self_managed_opt_outs_enabled = true", to: "self_managed_opt_outs_enabled = false",
    check: "facts", expect: /self_managed_opt_outs_enabled must be true/,
  },
  {
    name: "a default message type on the configuration set (the functions name the type on every message)",
    file: "messaging.tf", from: "          ConfigurationSetName = { Ref = \"ConfigurationSetName\" }\n", to: "          ConfigurationSetName = { Ref = \"ConfigurationSetName\" }\n          DefaultMessageType   = \"TRANSACTIONAL\"\n",
    check: "facts", expect: /configuration set: no default message type/,
  },
  {
    name: "an event destination that sends only some events",
    file: "messaging.tf", from: "MatchingEventTypes   = [\"TEXT_ALL\"]", to: "MatchingEventTypes   = [\"TEXT_SPAM\"]",
    check: "facts", expect: /event destination must be enabled and match TEXT_ALL/,
  },
  {
    name: "an event destination to another topic",
    file: "messaging.tf", from: "EventsTopicArn       = aws_sns_topic.delivery_events.arn", to: "EventsTopicArn       = aws_sns_topic.inbound.arn",
    check: "facts", expect: /SNS event destination must be the delivery-events topic/,
  },
  {
    name: "the delivery-events topic closed to End User Messaging",
    file: "messaging.tf", from: "sid       = \"EndUserMessagingPublishesDeliveryEvents\"\n    actions   = [\"sns:Publish\"]", to: "sid       = \"EndUserMessagingPublishesDeliveryEvents\"\n    actions   = [\"sns:Subscribe\"]",
    check: "facts", expect: /delivery-events topic policy must let sms-voice\.amazonaws\.com publish/,
  },
  {
    name: "delivery-events not subscribed to its topic",
    file: "messaging.tf", from: "endpoint  = aws_lambda_function.fn[\"delivery-events\"].arn", to: "endpoint  = aws_lambda_function.fn[\"sms-inbound\"].arn",
    check: "facts", expect: /delivery-events must be subscribed to the delivery-events topic/,
  },
  {
    name: "delivery-events's role without the Query of the index by MessageId",
    file: "iam.tf", from: "sid       = \"MessagesByMessageId\"\n    actions   = [\"dynamodb:Query\"]", to: "sid       = \"MessagesByMessageId\"\n    actions   = [\"dynamodb:Scan\"]",
    check: "iam", expect: /delivery-events: .* calls Query on MESSAGE_LOG_TABLE but its role does not allow dynamodb:Query/,
  },
  {
    name: "the number's country fixed to the US",
    file: "messaging.tf", from: "iso_country_code              = var.iso_country_code", to: "iso_country_code              = \"US\"",
    check: "facts", expect: /iso_country_code must come from var\.iso_country_code/,
  },
  {
    name: "the topic policy without its aws:SourceAccount scope",
    file: "messaging.tf", from: "variable = \"aws:SourceAccount\"", to: "variable = \"aws:SourceArn\"",
    check: "facts", expect: /scoped by aws:SourceAccount/,
  },
  {
    name: "a zip name scripts/build does not produce",
    file: "functions.tf", from: "filename         = \"${var.dist_dir}/${each.key}.zip\"", to: "filename         = \"${var.dist_dir}/${each.key}-lambda.zip\"",
    check: "packages", expect: /filename must be/,
  },
  {
    name: "an alarm that notifies no one",
    file: "alarms.tf", from: "  alarm_actions       = [aws_sns_topic.alerts.arn]\n  ok_actions          = [aws_sns_topic.alerts.arn]\n\n  metric_query {\n    id = \"delivered\"", to: "  ok_actions          = [aws_sns_topic.alerts.arn]\n\n  metric_query {\n    id = \"delivered\"",
    check: "alarms", expect: /aws_cloudwatch_metric_alarm\.delivery_success: alarm_actions must notify the alerts topic/,
  },
  {
    name: "an alarm without treat_missing_data",
    file: "alarms.tf", from: "  treat_missing_data  = \"notBreaching\"\n  alarm_actions       = [aws_sns_topic.alerts.arn]\n  ok_actions          = [aws_sns_topic.alerts.arn]\n\n  metric_query {\n    id = \"opt_outs\"", to: "  alarm_actions       = [aws_sns_topic.alerts.arn]\n  ok_actions          = [aws_sns_topic.alerts.arn]\n\n  metric_query {\n    id = \"opt_outs\"",
    check: "alarms", expect: /aws_cloudwatch_metric_alarm\.opt_out_rate: no treat_missing_data/,
  },
  {
    name: "an undeclared resource inside a dynamic block (its iterator is not one)",
    file: "alarms.tf", from: "dimensions  = { FunctionName = aws_lambda_function.fn[metric_query.value.function].function_name }", to: "dimensions  = { FunctionName = aws_lambda_functions.fn[metric_query.value.function].function_name }",
    check: "references", expect: /opt_out_rate refers to undeclared aws_lambda_functions\.fn/,
  },
  {
    name: "an index the local stack does not have",
    file: "tables.tf", from: "name            = \"pending-opt-outs\"", to: "name            = \"pending\"",
    check: "tables", expect: /indexes pending\(opt_out_pending,opt_out_deadline\), local stack has pending-opt-outs/,
  },
];

for (const c of cases) {
  test(`the ${c.check} check catches ${c.name}`, async () => {
    const results = await withMistake(c.file, c.from, c.to);
    const problems = results[c.check];
    assert.ok(problems.some((p) => c.expect.test(p)), `expected ${c.expect} in ${c.check} problems, got:\n  ${problems.join("\n  ")}`);
  });
}

test("a syntax error is reported with its file", async () => {
  await assert.rejects(withMistake("tables.tf", "billing_mode                = \"PAY_PER_REQUEST\"", "billing_mode = = \"PAY_PER_REQUEST\""), /tables\.tf/);
});
