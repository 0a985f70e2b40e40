// The offline checks of terraform/. Each returns a list of problems (strings);
// an empty list is a pass. They run without terraform or a provider (the
// argument check reads the provider's schema from provider-schema.json) and go
// beyond `terraform validate`: they compare the module with the code. Where
// terraform and a local provider exist, tf.mjs runs validate and test as well.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { format } from "@cdktf/hcl-tools";
import { bareExpression, find, locals, references, strings } from "./hcl.mjs";
import { LAMBDA_RESERVED } from "./source-scan.mjs";

/** Every file formatted as hclwrite formats it (the formatter `terraform fmt` uses). */
export async function checkFormat(model) {
  const problems = [];
  for (const [name, source] of Object.entries(model.files)) {
    const formatted = await format(source);
    if (formatted !== source) {
      const a = source.split("\n"), b = formatted.split("\n");
      const line = a.findIndex((l, i) => l !== b[i]);
      problems.push(`${name}:${line + 1}: not formatted (expected: ${JSON.stringify(b[line])})`);
    }
  }
  return problems;
}

/** Every var., local., resource and data reference names something declared. */
export function checkReferences(model) {
  const declared = new Set();
  for (const b of model.blocks) {
    if (b.kind === "variable") declared.add(`var.${b.name}`);
    if (b.kind === "resource") declared.add(`${b.type}.${b.name}`);
    if (b.kind === "data") declared.add(`data.${b.type}.${b.name}`);
  }
  for (const name of Object.keys(locals(model))) declared.add(`local.${name}`);
  const problems = [];
  for (const b of model.blocks) {
    const iterators = dynamicIterators(b.body);
    for (const s of strings(b.body)) {
      for (const r of references(s)) {
        // A dynamic block's iterator (metric_query.key, metric_query.value) is no resource.
        if (r.kind === "resource" && iterators.has(r.type) && (r.name === "key" || r.name === "value")) continue;
        const id = r.kind === "var" ? `var.${r.name}` : r.kind === "local" ? `local.${r.name}`
          : r.kind === "data" ? `data.${r.type}.${r.name}` : r.kind === "module" ? `module.${r.name}` : `${r.type}.${r.name}`;
        if (!declared.has(id)) problems.push(`${b.file}: ${describe(b)} refers to undeclared ${id}`);
      }
    }
  }
  return [...new Set(problems)];
}

// The iterator names of the dynamic blocks inside a block body: the block's label, or its
// `iterator` argument.
function dynamicIterators(body, out = new Set()) {
  if (Array.isArray(body)) body.forEach((v) => dynamicIterators(v, out));
  else if (body && typeof body === "object") {
    for (const [label, bodies] of Object.entries(body.dynamic ?? {})) {
      for (const d of bodies) out.add(bareExpression(d.iterator) ?? d.iterator ?? label);
    }
    Object.values(body).forEach((v) => dynamicIterators(v, out));
  }
  return out;
}

const describe = (b) => (b.type ? `${b.kind === "data" ? "data." : ""}${b.type}.${b.name}` : b.name ? `${b.kind} ${b.name}` : b.kind);

// Meta-arguments Terraform itself takes in resource and data blocks (not the provider's).
const META = {
  resource: new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "connection", "provisioner"]),
  data: new Set(["count", "for_each", "depends_on", "provider", "lifecycle"]),
};

/**
 * Every argument and nested block of every resource and data block against the
 * provider's own schema (provider-schema.json, generated from the provider by
 * `node tests/terraform/tf.mjs schema`): no unknown name, no attribute the
 * provider only computes, no deprecated one, every required argument and
 * block present. What `terraform validate` checks for names, offline.
 */
export function checkArguments(model, schema) {
  const problems = [];
  const source = `${schema.provider.replace(/^registry\.terraform\.io\//, "")} ${schema.provider_version}`;
  const walk = (body, spec, where, file, meta = new Set()) => {
    const attrs = spec.attributes ?? {};
    const blocks = spec.blocks ?? {};
    const present = new Set();
    for (const [key, value] of Object.entries(body)) {
      if (meta.has(key)) continue;
      if (key === "dynamic") {
        for (const [blockName, bodies] of Object.entries(value)) {
          const inner = blocks[blockName];
          if (!inner) { problems.push(`${file}: ${where}: unsupported block "${blockName}" (dynamic; not in ${source})`); continue; }
          present.add(blockName);
          for (const d of bodies) for (const c of d.content ?? []) walk(c, inner, `${where}.${blockName}`, file);
        }
        continue;
      }
      present.add(key);
      if (attrs[key]) {
        if (attrs[key].startsWith("computed")) problems.push(`${file}: ${where}: "${key}" is computed by the provider and cannot be set (${source})`);
        if (attrs[key].endsWith("deprecated")) problems.push(`${file}: ${where}: "${key}" is deprecated in ${source}`);
        continue;
      }
      if (blocks[key]) {
        if (blocks[key].deprecated) problems.push(`${file}: ${where}: block "${key}" is deprecated in ${source}`);
        for (const inner of Array.isArray(value) ? value : [value]) walk(inner, blocks[key], `${where}.${key}`, file);
        continue;
      }
      problems.push(`${file}: ${where}: unsupported argument "${key}" (not in ${source})`);
    }
    for (const [name, mode] of Object.entries(attrs)) {
      if (mode.startsWith("required") && !present.has(name)) problems.push(`${file}: ${where}: missing required argument "${name}" (${source})`);
    }
    for (const [name, b] of Object.entries(blocks)) {
      if (b.min_items && !present.has(name)) problems.push(`${file}: ${where}: missing required block "${name}" (${source})`);
    }
  };
  for (const b of model.blocks.filter((b) => b.kind === "resource" || b.kind === "data")) {
    const spec = schema[b.kind]?.[b.type];
    if (!spec) { problems.push(`${b.file}: ${describe(b)}: type ${b.type} is not in provider-schema.json (regenerate it: node tests/terraform/tf.mjs schema)`); continue; }
    walk(b.body, spec, describe(b), b.file, META[b.kind]);
  }
  return problems;
}

/**
 * Every variable and data source is used somewhere (a declared but unused one
 * misleads the reader: it looks like a setting or a lookup that matters).
 */
export function checkUnused(model) {
  const used = new Set();
  for (const b of model.blocks) {
    for (const s of strings(b.body)) {
      for (const r of references(s)) used.add(r.kind === "var" ? `var.${r.name}` : r.kind === "data" ? `data.${r.type}.${r.name}` : "");
    }
  }
  const problems = [];
  for (const b of model.blocks) {
    if (b.kind === "variable" && !used.has(`var.${b.name}`)) problems.push(`${b.file}: variable ${b.name} is declared but never used`);
    if (b.kind === "data" && !used.has(`data.${b.type}.${b.name}`)) problems.push(`${b.file}: data.${b.type}.${b.name} is declared but never used`);
  }
  return problems;
}

/** Variables: description and type on each; deployment facts (README "Deploy to AWS") on key ones. */
export function checkVariables(model) {
  const problems = [];
  for (const v of model.blocks.filter((b) => b.kind === "variable")) {
    if (!v.body.description) problems.push(`${v.file}: variable ${v.name} has no description`);
    if (!v.body.type) problems.push(`${v.file}: variable ${v.name} has no type`);
  }
  const runtime = model.blocks.find((b) => b.kind === "variable" && b.name === "runtime");
  if (runtime?.body.default !== "provided.al2023") problems.push("variable runtime must default to provided.al2023");
  const cond = strings(runtime?.body.validation ?? []).join(" ");
  for (const r of ["provided.al2023", "provided.al2"]) {
    if (!cond.includes(`"${r}"`)) problems.push(`variable runtime's validation must accept ${r}`);
  }
  const arch = strings(model.blocks.find((b) => b.kind === "variable" && b.name === "architecture")?.body.validation ?? []).join(" ");
  for (const a of ["x86_64", "arm64"]) if (!arch.includes(`"${a}"`)) problems.push(`variable architecture's validation must accept ${a}`);
  return problems;
}

/** The deployment facts (README "Deploy to AWS") and the issue, as they appear in the module. */
export function checkDeploymentFacts(model) {
  const problems = [];
  const need = (ok, text) => { if (!ok) problems.push(text); };
  const phone = find(model, "resource", "aws_pinpointsmsvoicev2_phone_number", "this")?.body;
  need(phone?.self_managed_opt_outs_enabled === true, "phone number: self_managed_opt_outs_enabled must be true (STOP/HELP must reach sms-inbound)");
  need(phone?.two_way_channel_enabled === true, "phone number: two_way_channel_enabled must be true");
  need(/aws_sns_topic\.inbound\.arn/.test(phone?.two_way_channel_arn ?? ""), "phone number: two_way_channel_arn must be the inbound topic");
  need(phone?.number_type === "${var.number_type}", "phone number: number_type must come from var.number_type");
  need(phone?.iso_country_code === "${var.iso_country_code}", "phone number: iso_country_code must come from var.iso_country_code (LONG_CODE is for countries other than the US)");
  // The configuration set is a CloudFormation stack's (hashicorp/aws 5.x has no event destination
  // resource): its SNS event destination sends every SMS event to the delivery-events topic.
  const configSet = find(model, "resource", "aws_cloudformation_stack", "configuration_set")?.body;
  const template = configSet?.template_body ?? "";
  need(/Type\s*=\s*"AWS::SMSVOICE::ConfigurationSet"/.test(template), "configuration set: aws_cloudformation_stack.configuration_set must hold an AWS::SMSVOICE::ConfigurationSet");
  need(/MatchingEventTypes\s*=\s*\[\s*"TEXT_ALL"\s*\]/.test(template) && /Enabled\s*=\s*true/.test(template),
    "configuration set: its event destination must be enabled and match TEXT_ALL (every SMS event reaches delivery-events)");
  need(/SnsDestination\s*=\s*\{\s*TopicArn\s*=\s*\{\s*Ref\s*=\s*"EventsTopicArn"\s*\}\s*\}/.test(template) &&
    configSet?.parameters?.EventsTopicArn === "${aws_sns_topic.delivery_events.arn}",
    "configuration set: its SNS event destination must be the delivery-events topic");
  need(!/DefaultMessageType/.test(template), "configuration set: no default message type (the functions name the type on every message)");
  const events = statements(model, "delivery_events_topic").find((s) => s.actions.includes("sns:Publish"));
  need(events?.principals.some((p) => p.type === "Service" && p.identifiers.includes("sms-voice.amazonaws.com")) &&
    events?.conditions.some((c) => c.variable === "aws:SourceAccount"),
    "delivery-events topic policy must let sms-voice.amazonaws.com publish, scoped by aws:SourceAccount");
  const eventsSubscription = find(model, "resource", "aws_sns_topic_subscription", "delivery_events")?.body;
  need(eventsSubscription?.topic_arn === "${aws_sns_topic.delivery_events.arn}" && eventsSubscription?.protocol === "lambda" &&
    eventsSubscription?.endpoint === '${aws_lambda_function.fn["delivery-events"].arn}',
    "delivery-events must be subscribed to the delivery-events topic");
  const fn = find(model, "resource", "aws_lambda_function", "fn")?.body;
  need(fn?.handler === "bootstrap", "aws_lambda_function.fn: handler must be \"bootstrap\"");
  need(fn?.runtime === "${var.runtime}", "aws_lambda_function.fn: runtime must be var.runtime");
  need(JSON.stringify(fn?.architectures) === JSON.stringify(["${var.architecture}"]), "aws_lambda_function.fn: architectures must be [var.architecture]");
  // JSON by default (log-level filtering and Logs Insights need it); Text only when asked for.
  const logFormat = fn?.logging_config?.[0]?.log_format;
  const formatVar = model.blocks.find((b) => b.kind === "variable" && b.name === "log_format")?.body;
  need(logFormat === "JSON" || (logFormat === "${var.log_format}" && formatVar?.default === "JSON"),
    "aws_lambda_function.fn: logging_config.log_format must be JSON, or var.log_format defaulting to JSON");
  const topicPolicy = statements(model, "inbound_topic");
  const publish = topicPolicy.find((s) => s.actions.includes("sns:Publish"));
  need(publish?.principals.some((p) => p.type === "Service" && p.identifiers.includes("sms-voice.amazonaws.com")),
    "inbound topic policy must let sms-voice.amazonaws.com publish");
  need(publish?.conditions.some((c) => c.variable === "aws:SourceAccount"), "inbound topic policy must be scoped by aws:SourceAccount");
  const trust = statements(model, "scheduler_trust");
  need(trust.some((s) => s.actions.includes("sts:AssumeRole") && s.principals.some((p) => p.identifiers.includes("scheduler.amazonaws.com"))),
    "scheduler role must trust scheduler.amazonaws.com");
  const url = statements(model, "function_url_invoke").flatMap((s) => s.actions);
  need(url.includes("lambda:InvokeFunctionUrl") && url.includes("lambda:InvokeFunction"),
    "Function URL callers need both lambda:InvokeFunctionUrl and lambda:InvokeFunction");
  return problems;
}

/**
 * Alarms: every aws_cloudwatch_metric_alarm notifies the alerts topic (aws_sns_topic.alerts),
 * is named from var.name_prefix, says what it means (alarm_description) and says how missing
 * data counts (treat_missing_data: a function or queue that is quiet is no alarm).
 */
export function checkAlarms(model) {
  const problems = [];
  for (const b of model.blocks.filter((x) => x.kind === "resource" && x.type === "aws_cloudwatch_metric_alarm")) {
    const a = b.body;
    const where = `${b.file}: aws_cloudwatch_metric_alarm.${b.name}`;
    if (!JSON.stringify(a.alarm_actions ?? "").includes("${aws_sns_topic.alerts.arn}")) problems.push(`${where}: alarm_actions must notify the alerts topic (aws_sns_topic.alerts.arn)`);
    if (!String(a.alarm_name ?? "").startsWith("${var.name_prefix}-")) problems.push(`${where}: alarm_name must start with \${var.name_prefix}-`);
    if (!a.alarm_description) problems.push(`${where}: no alarm_description (what the alarm means, what to do)`);
    if (!a.treat_missing_data) problems.push(`${where}: no treat_missing_data`);
  }
  return problems;
}

/** Statements of data.aws_iam_policy_document.<name>, dynamic ones flagged. */
export function statements(model, name) {
  const doc = find(model, "data", "aws_iam_policy_document", name)?.body;
  if (!doc) return [];
  const plain = (doc.statement ?? []).map((s) => ({ ...normalise(s), dynamic: false }));
  const dyn = (doc.dynamic?.statement ?? []).flatMap((d) => (d.content ?? []).map((s) => ({ ...normalise(s), dynamic: true, for_each: d.for_each })));
  return [...plain, ...dyn];
}

function normalise(s) {
  return {
    sid: s.sid,
    effect: s.effect ?? "Allow",
    actions: s.actions ?? [],
    resources: s.resources ?? [],
    principals: (s.principals ?? []).map((p) => ({ type: p.type, identifiers: p.identifiers ?? [] })),
    conditions: (s.condition ?? []).map((c) => ({ test: c.test, variable: c.variable, values: c.values })),
  };
}

/**
 * dist/<name>.zip for each function of functions/functions.json (`catalogue`): the names must be
 * the functions scripts/build packages (one per folder of functions/), and the module must take
 * its list of functions from that file.
 */
export function checkPackages(model, functionDirs, catalogue) {
  const problems = [];
  const fn = find(model, "resource", "aws_lambda_function", "fn")?.body;
  if (fn?.filename !== "${var.dist_dir}/${each.key}.zip") problems.push(`aws_lambda_function.fn: filename must be "\${var.dist_dir}/\${each.key}.zip" (what scripts/build writes), got ${fn?.filename}`);
  if (!/filebase64sha256\("\$\{var\.dist_dir\}\/\$\{each\.key\}\.zip"\)/.test(fn?.source_code_hash ?? "")) problems.push("aws_lambda_function.fn: source_code_hash must hash the same zip");
  const list = String(locals(model).functions ?? "");
  if (!/jsondecode\(file\("\$\{path\.module\}\/\.\.\/functions\/functions\.json"\)\)\.functions/.test(list)) {
    problems.push(`local.functions must be jsondecode(file("\${path.module}/../functions/functions.json")).functions, the one list of functions; got ${list}`);
  }
  for (const [name, entry] of Object.entries(catalogue)) {
    for (const key of ["description", "async", "memory_size", "timeout", "environment"]) {
      if (!(key in entry)) problems.push(`functions/functions.json: ${name} has no "${key}"`);
    }
  }
  const notBuilt = Object.keys(catalogue).filter((name) => !functionDirs.includes(name));
  return { problems, notBuilt };
}

/**
 * Environment: each function gets the variables its entry in functions/functions.json lists,
 * with the values of local.environment_values (always set) or local.optional_environment_values
 * (set when not empty). Every variable its code requires is listed and always set; every
 * variable listed is one its code reads and has a value; none is one Lambda reserves.
 */
export function checkEnvironment(model, scans, catalogue) {
  const problems = [];
  const l = locals(model);
  const values = l.environment_values ?? {};
  const optional = l.optional_environment_values ?? {};
  for (const scan of scans) {
    const listed = catalogue[scan.name]?.environment;
    if (!Array.isArray(listed)) { problems.push(`functions/functions.json: ${scan.name} has no "environment" list`); continue; }
    for (const k of listed) {
      if (LAMBDA_RESERVED.has(k)) problems.push(`${scan.name}: sets ${k}, which Lambda reserves`);
    }
    if (scan.built) {
      for (const [name, read] of scan.env) {
        if (!read.required || LAMBDA_RESERVED.has(name)) continue;
        if (!listed.includes(name)) {
          problems.push(`${scan.name}: requires ${name} (${read.where[0]}) but Terraform does not set it (not in its functions/functions.json "environment")`);
        } else if (!(name in values)) {
          problems.push(`${scan.name}: requires ${name} (${read.where[0]}) but Terraform does not set it${name in optional ? " unconditionally" : " (no value in local.environment_values)"}`);
        }
      }
      for (const k of listed) {
        if (!scan.env.has(k)) problems.push(`${scan.name}: Terraform sets ${k} but the code never reads it`);
      }
    }
    for (const k of listed) {
      if (!(k in values) && !(k in optional)) problems.push(`${scan.name}: functions/functions.json lists ${k}, which has no value in local.environment_values or local.optional_environment_values`);
    }
  }
  return problems;
}

/**
 * IAM: each function's policy allows exactly the DynamoDB and SMS operations
 * its code calls, on the resources it uses them on; besides those only its own
 * log group, its own dead-letter queue, (when tracing is on) X-Ray, and the
 * three SQS actions Lambda's poller needs on a queue an event source mapping
 * feeds the function from (and those it must have).
 */
export function checkIam(model, scans, catalogue) {
  const problems = [];
  const l = locals(model);
  const policies = l.function_policy ?? {};
  const values = l.environment_values ?? {};
  for (const scan of scans) {
    const docName = bareExpression(policies[scan.name])?.match(/^data\.aws_iam_policy_document\.(\w+)\.json$/)?.[1];
    if (!docName) { problems.push(`${scan.name}: local.function_policy must be data.aws_iam_policy_document.<name>.json`); continue; }
    const doc = find(model, "data", "aws_iam_policy_document", docName)?.body;
    if (!new RegExp(`fn_base\\[\\\\?"${scan.name}\\\\?"\\]\\.json`).test(JSON.stringify(doc?.source_policy_documents ?? ""))) {
      problems.push(`${scan.name}: data.aws_iam_policy_document.${docName} must include data.aws_iam_policy_document.fn_base["${scan.name}"] (source_policy_documents): its log group, dead-letter queue and X-Ray`);
    }
    const stmts = statements(model, docName);
    if (!stmts.length) { problems.push(`${scan.name}: data.aws_iam_policy_document.${docName} has no statements`); continue; }
    // Which resource each variable's value comes from: CONTACTS_TABLE -> aws_dynamodb_table.contacts
    const listed = catalogue[scan.name]?.environment ?? [];
    const envText = JSON.stringify(Object.fromEntries(Object.entries(values).filter(([k]) => listed.includes(k))));
    const tableOf = new Map();
    for (const m of envText.matchAll(/"?([A-Z_][A-Z0-9_]*)"?\s*[=:]\s*"?(?:\$\{)?aws_dynamodb_table\.(\w+)\.name/g)) tableOf.set(m[1], m[2]);

    const granted = [];
    for (const s of stmts) {
      if (s.effect !== "Allow") continue;
      for (const a of s.actions) for (const r of s.resources) granted.push({ action: a, resource: canonical(r), raw: r, sid: s.sid, dynamic: s.dynamic, for_each: s.for_each });
    }
    const used = new Set();
    const allows = (action, resources) => {
      const hit = granted.filter((g) => g.action === action && resources.includes(g.resource));
      hit.forEach((g) => used.add(g));
      return hit.length > 0;
    };
    // An aws_lambda_event_source_mapping polls its queue with the function's role.
    const pollerActions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];
    const polled = model.blocks
      .filter((b) => b.kind === "resource" && b.type === "aws_lambda_event_source_mapping")
      .filter((b) => new RegExp(`aws_lambda_function\\.fn\\[\\\\?"${scan.name}\\\\?"\\]`).test(JSON.stringify(b.body.function_name ?? "")))
      .map((b) => String(b.body.event_source_arn ?? ""));
    for (const queue of polled) {
      for (const action of pollerActions) {
        const hit = granted.filter((g) => g.action === action && g.raw === queue);
        if (!hit.length) problems.push(`${scan.name}: an event source mapping polls ${queue} but its role does not allow ${action} on it`);
        hit.forEach((g) => used.add(g));
      }
    }
    if (scan.built) {
      const readsConfigSet = scan.env.has("CONFIGURATION_SET_NAME");
      for (const c of scan.calls) {
        const action = `${c.service}:${c.op}`;
        if (c.service === "dynamodb") {
          const tables = c.table ? [tableOf.get(c.table)] : [...scan.tableVars].map((v) => tableOf.get(v));
          if (tables.includes(undefined)) { problems.push(`${scan.name}: ${c.where} uses ${c.table ?? "a table"} whose name Terraform does not set from an aws_dynamodb_table`); continue; }
          const targets = tables.flatMap((t) => c.op === "Query" && c.index ? granted.filter((g) => g.resource.startsWith(`index:${t}/`)).map((g) => g.resource).concat([`table:${t}`]) : [`table:${t}`]);
          if (!allows(action, targets)) problems.push(`${scan.name}: ${c.where} calls ${c.op} on ${c.table ?? "one of " + [...scan.tableVars].join("/")} but its role does not allow ${action} on ${targets.join(" or ")}`);
        } else if (c.op === "SendTextMessage") {
          for (const r of ["sms:origination-identity", ...(readsConfigSet ? ["sms:configuration-set"] : [])]) {
            if (!allows(action, [r])) problems.push(`${scan.name}: ${c.where} calls ${c.op} but its role does not allow ${action} on ${r}`);
          }
        } else {
          if (!allows(action, ["sms:opt-out-list"])) problems.push(`${scan.name}: ${c.where} calls ${c.op} but its role does not allow ${action} on the opt-out list`);
        }
      }
    }
    for (const g of granted) {
      if (used.has(g)) continue;
      const [service] = g.action.split(":");
      if (g.action.includes("*")) problems.push(`${scan.name}: wildcard action ${g.action} (statement ${g.sid})`);
      else if (service === "logs" && ["logs:CreateLogStream", "logs:PutLogEvents"].includes(g.action) && g.raw === `\${aws_cloudwatch_log_group.fn["${scan.name}"].arn}:*`) continue;
      else if (g.action === "sqs:SendMessage" && g.raw === `\${aws_sqs_queue.dlq["${scan.name}"].arn}`) continue;
      else if (service === "xray" && g.dynamic && /var\.enable_xray/.test(g.for_each ?? "") && ["xray:PutTraceSegments", "xray:PutTelemetryRecords"].includes(g.action)) continue;
      else if (!scan.built && (service === "dynamodb" || service === "sms-voice")) continue;
      else problems.push(`${scan.name}: role allows ${g.action} on ${g.raw} (statement ${g.sid}) but the code never needs it`);
    }
  }
  return problems;
}

function canonical(r) {
  const e = bareExpression(r);
  if (e) {
    let m;
    if ((m = /^aws_dynamodb_table\.(\w+)\.arn$/.exec(e))) return `table:${m[1]}`;
    if (e === "local.origination_identity_arn") return "sms:origination-identity";
    if (/^aws_pinpointsmsvoicev2_configuration_set\.\w+\.arn$/.test(e)) return "sms:configuration-set";
    if (e === "local.configuration_set_arn") return "sms:configuration-set";
    if (/^aws_pinpointsmsvoicev2_opt_out_list\.\w+\.arn$/.test(e)) return "sms:opt-out-list";
  }
  const m = /^\$\{aws_dynamodb_table\.(\w+)\.arn\}\/index\/([\w.*-]+)$/.exec(r);
  if (m) return `index:${m[1]}/${m[2]}`;
  return r;
}

/** Tables: the same keys, attributes and indexes as the local stack's scripts/node/tables.json. */
export async function checkTables(model, repo) {
  const problems = [];
  const spec = JSON.parse(await readFile(path.join(repo, "scripts/node/tables.json"), "utf8"));
  const tf = model.blocks.filter((b) => b.kind === "resource" && b.type === "aws_dynamodb_table");
  const envText = JSON.stringify(locals(model).environment_values ?? {});
  for (const t of spec.tables) {
    const m = new RegExp(`"?${t.env}"?\\s*[=:]\\s*"?(?:\\$\\{)?aws_dynamodb_table\\.(\\w+)\\.name`).exec(envText);
    const block = m && tf.find((b) => b.name === m[1]);
    if (!block) { problems.push(`${t.env}: no function gets it from an aws_dynamodb_table`); continue; }
    const b = block.body;
    const key = (k) => t.create.KeySchema.find((x) => x.KeyType === k)?.AttributeName;
    if (b.hash_key !== key("HASH")) problems.push(`${block.name}: hash_key ${b.hash_key}, local stack has ${key("HASH")}`);
    if ((b.range_key ?? undefined) !== key("RANGE")) problems.push(`${block.name}: range_key ${b.range_key}, local stack has ${key("RANGE")}`);
    const attrs = (b.attribute ?? []).map((a) => `${a.name}:${a.type}`).sort().join(",");
    const want = t.create.AttributeDefinitions.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort().join(",");
    if (attrs !== want) problems.push(`${block.name}: attributes ${attrs}, local stack has ${want}`);
    const gsis = (b.global_secondary_index ?? []).map((g) => `${g.name}(${g.hash_key},${g.range_key ?? ""})`).sort().join(" ");
    const wantGsis = (t.create.GlobalSecondaryIndexes ?? []).map((g) => `${g.IndexName}(${g.KeySchema.find((k) => k.KeyType === "HASH").AttributeName},${g.KeySchema.find((k) => k.KeyType === "RANGE")?.AttributeName ?? ""})`).sort().join(" ");
    if (gsis !== wantGsis) problems.push(`${block.name}: indexes ${gsis}, local stack has ${wantGsis}`);
    if (b.billing_mode !== "PAY_PER_REQUEST") problems.push(`${block.name}: billing_mode must be PAY_PER_REQUEST`);
    if (b.point_in_time_recovery?.[0]?.enabled !== true) problems.push(`${block.name}: point-in-time recovery must be enabled`);
    if (b.server_side_encryption?.[0]?.enabled !== true) problems.push(`${block.name}: server-side encryption must be enabled`);
    if (b.deletion_protection_enabled !== "${var.deletion_protection}") problems.push(`${block.name}: deletion_protection_enabled must be var.deletion_protection`);
    if (t.timeToLiveAttribute && b.ttl?.[0]?.attribute_name !== t.timeToLiveAttribute) problems.push(`${block.name}: TTL must be on ${t.timeToLiveAttribute}`);
  }
  return problems;
}
