// Checks of the CloudWatch dashboard and alarms as Terraform renders them: the plan of
// terraform/tests/dashboard.tftest.hcl (mocked provider), read from `terraform test -json
// -verbose`. Each check returns a list of problems (strings); an empty list is a pass.
//
//   - the body is what CloudWatch accepts (PutDashboard's body structure: widget types,
//     positions on the 24-column grid, metric arrays, math expressions and their ids, SEARCH),
//   - every metric of the functions' namespace, in the body and in every alarm, is one the
//     function named by its FunctionName dimension emits, with those dimensions (read from the
//     C++ sources: source-scan.mjs emittedMetrics), and every AWS/ metric is a known one,
//   - the dashboard shows what the README promises (the texts, the rates, each function's
//     errors, duration and throttles) and lists every alarm.

/** The plans of a `terraform test -json -verbose` run: [{ run, resources: [{address, type, values}] }]. */
export function plansFromTestOutput(stdout) {
  const plans = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"test_plan"')) continue;
    const message = JSON.parse(line);
    if (!message.test_plan) continue;
    const resources = (message.test_plan.resource_changes ?? []).map((r) => ({
      address: r.address, type: r.type, values: r.change?.after ?? {}, unknown: r.change?.after_unknown ?? {},
    }));
    plans.push({ run: message["@testrun"], resources });
  }
  return plans;
}

// Metrics of AWS namespaces the dashboard and alarms may use, with the dimension each needs.
export const AWS_METRICS = {
  "AWS/Lambda": { dimension: "FunctionName", names: ["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"] },
  "AWS/SQS": {
    dimension: "QueueName",
    names: ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesNotVisible",
      "NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted"],
  },
};

const WIDGET_TYPES = new Set(["metric", "text", "log", "alarm"]);
const METRIC_OPTIONS = new Set(["id", "label", "stat", "period", "visible", "color", "yAxis", "region", "accountId"]);
const STAT = /^(SampleCount|Average|Sum|Minimum|Maximum|(p|tm|wm|tc|ts|pr)\d{1,2}(\.\d+)?)$/;
const ID = /^[a-z][A-Za-z0-9_]*$/;
const MAX_WIDGETS = 100; // conservative: PutDashboard's documented limit has been 100 and later 500

/**
 * `ctx`: { namespace, region, functions: Map deployed name -> function key,
 * emitted: Map function key -> Map metric -> Set of dimension lists, queues: Set of queue names }.
 * A metric of `ctx.namespace`: [namespace, name, dimension pairs...]; returns problems.
 */
export function checkMetric(where, namespace, name, dims, ctx) {
  const problems = [];
  const dimNames = Object.keys(dims).sort();
  if (namespace === ctx.namespace) {
    const fn = ctx.functions.get(dims.FunctionName);
    if (!fn) return [`${where}: ${name}: FunctionName ${JSON.stringify(dims.FunctionName)} is none of the functions (${[...ctx.functions.keys()].join(", ")})`];
    const emitted = ctx.emitted.get(fn);
    if (!emitted?.has(name)) {
      problems.push(`${where}: ${fn} emits no metric ${name} (its code emits ${[...(emitted?.keys() ?? [])].sort().join(", ")})`);
    } else if (![...emitted.get(name)].some((d) => d.split(",").sort().join(",") === dimNames.join(","))) {
      problems.push(`${where}: ${fn} emits ${name} with dimensions ${[...emitted.get(name)].map((d) => `[${d}]`).join(" or ")}, not [${dimNames.join(",")}]`);
    }
  } else if (AWS_METRICS[namespace]) {
    const known = AWS_METRICS[namespace];
    if (!known.names.includes(name)) problems.push(`${where}: ${namespace} ${name} is not a metric this module uses (tests/terraform/lib/dashboard.mjs AWS_METRICS)`);
    if (dimNames.join(",") !== known.dimension) problems.push(`${where}: ${namespace} ${name} needs exactly the dimension ${known.dimension}, has [${dimNames.join(",")}]`);
    const value = dims[known.dimension];
    if (namespace === "AWS/Lambda" && !ctx.functions.has(value)) problems.push(`${where}: ${name} of ${JSON.stringify(value)}, which is none of the functions`);
    if (namespace === "AWS/SQS" && ctx.queues && !ctx.queues.has(value)) problems.push(`${where}: ${name} of queue ${JSON.stringify(value)}, which the module does not create`);
  } else {
    problems.push(`${where}: namespace ${JSON.stringify(namespace)} is neither the functions' (${ctx.namespace}) nor one of ${Object.keys(AWS_METRICS).join(", ")}`);
  }
  return problems;
}

// The ids an expression refers to: lower-case identifiers outside its quoted strings (function
// names are upper case: FILL, IF, SEARCH).
function referencedIds(expression) {
  const code = expression.replace(/'[^']*'|"[^"]*"/g, " ");
  return [...code.matchAll(/(?<![\w.])([a-z][A-Za-z0-9_]*)\b/g)].map((m) => m[1]);
}

// SEARCH('{Namespace,Dim,...} MetricName="X" Dim="v"', 'Stat', period): the schema and terms.
function parseSearch(expression) {
  const m = /SEARCH\(\s*'\{([^}]*)\}([^']*)'\s*,\s*'([^']+)'(?:\s*,\s*(\d+))?\s*\)/.exec(expression);
  if (!m) return null;
  const schema = m[1].split(",").map((s) => s.trim().replace(/^"(.*)"$/, "$1"));
  const terms = Object.fromEntries([...m[2].matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((t) => [t[1], t[2]]));
  return { namespace: schema[0], dimensions: schema.slice(1), terms, stat: m[3], period: m[4] && Number(m[4]) };
}

/** A metric widget's properties; returns problems. Collects the metrics it shows into `seen`. */
function checkMetricWidget(where, p, ctx, seen) {
  const problems = [];
  if (p.region !== ctx.region) problems.push(`${where}: region ${JSON.stringify(p.region)}, not the stack's ${ctx.region}`);
  if (p.view && !["timeSeries", "singleValue", "bar", "pie", "gauge", "table"].includes(p.view)) problems.push(`${where}: view ${p.view}`);
  if (p.stat !== undefined && !STAT.test(p.stat)) problems.push(`${where}: stat ${JSON.stringify(p.stat)}`);
  if (p.period !== undefined && !(Number.isInteger(p.period) && p.period >= 60 && p.period % 60 === 0)) problems.push(`${where}: period ${p.period} is not a multiple of 60 s`);
  if (!Array.isArray(p.metrics) || p.metrics.length === 0 || p.metrics.length > 500) {
    return [...problems, `${where}: metrics must be an array of 1-500 entries`];
  }
  const ids = new Map();
  const expressions = [];
  p.metrics.forEach((entry, i) => {
    const at = `${where} metrics[${i}]`;
    if (!Array.isArray(entry) || entry.length === 0) { problems.push(`${at}: not an array`); return; }
    const options = typeof entry[entry.length - 1] === "object" && entry[entry.length - 1] !== null ? entry[entry.length - 1] : null;
    const parts = options ? entry.slice(0, -1) : entry;
    if (options?.id !== undefined) {
      if (!ID.test(options.id)) problems.push(`${at}: id ${JSON.stringify(options.id)} must start with a lower-case letter and hold only letters, digits and _`);
      if (ids.has(options.id)) problems.push(`${at}: id ${options.id} is used twice`);
      ids.set(options.id, i);
    }
    if (options?.expression !== undefined) {
      if (parts.length) { problems.push(`${at}: an expression entry holds only its object`); return; }
      for (const k of Object.keys(options)) if (!["expression", "id", "label", "visible", "color", "yAxis", "period", "region"].includes(k)) problems.push(`${at}: unknown expression option ${k}`);
      expressions.push({ at, expression: options.expression, id: options.id, label: options.label });
      const search = parseSearch(options.expression);
      if (/SEARCH\(/.test(options.expression)) {
        if (!search) { problems.push(`${at}: unreadable SEARCH: ${options.expression}`); return; }
        if (!STAT.test(search.stat)) problems.push(`${at}: SEARCH statistic ${search.stat}`);
        if (!search.terms.MetricName) problems.push(`${at}: SEARCH names no MetricName`);
        const dims = Object.fromEntries(search.dimensions.map((d) => [d, search.terms[d] ?? "*"]));
        problems.push(...checkMetric(at, search.namespace, search.terms.MetricName, dims, ctx));
        seen.push({ namespace: search.namespace, name: search.terms.MetricName, dims });
      }
      return;
    }
    if (options) for (const k of Object.keys(options)) if (!METRIC_OPTIONS.has(k)) problems.push(`${at}: unknown metric option ${k}`);
    if (options?.stat !== undefined && !STAT.test(options.stat)) problems.push(`${at}: stat ${JSON.stringify(options.stat)}`);
    if (!parts.every((x) => typeof x === "string" && x !== "")) { problems.push(`${at}: namespace, name and dimensions must be non-empty strings`); return; }
    if (parts.length < 2 || parts.length % 2 !== 0) { problems.push(`${at}: [namespace, name, dimension, value, ...] expected, got ${parts.length} strings`); return; }
    const [namespace, name, ...pairs] = parts;
    const dims = {};
    for (let j = 0; j < pairs.length; j += 2) dims[pairs[j]] = pairs[j + 1];
    problems.push(...checkMetric(at, namespace, name, dims, ctx));
    seen.push({ namespace, name, dims, stat: options?.stat ?? p.stat, label: options?.label });
  });
  for (const e of expressions) {
    for (const ref of referencedIds(e.expression)) {
      if (!ids.has(ref)) problems.push(`${e.at}: expression ${JSON.stringify(e.expression)} refers to ${ref}, which no entry of the widget has as its id`);
      else if (ref === e.id) problems.push(`${e.at}: expression ${e.id} refers to itself`);
    }
    seen.push({ expression: e.expression, label: e.label });
  }
  return problems;
}

/**
 * The dashboard body (a JSON string). `ctx` as for checkMetric, plus alarmNames (every alarm of
 * the plan). Returns { problems, seen: [{namespace, name, dims, stat} | {expression, label}], alarms }.
 */
export function checkDashboardBody(body, ctx) {
  const problems = [];
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    return { problems: [`dashboard_body is not JSON: ${e.message}`], seen: [], alarms: [] };
  }
  const widgets = parsed?.widgets;
  if (!Array.isArray(widgets) || widgets.length === 0 || widgets.length > MAX_WIDGETS) {
    return { problems: [`dashboard_body: "widgets" must be an array of 1-${MAX_WIDGETS} widgets`], seen: [], alarms: [] };
  }
  for (const k of Object.keys(parsed)) if (!["widgets", "start", "end", "periodOverride"].includes(k)) problems.push(`dashboard_body: unknown member ${k}`);
  const seen = [];
  const alarms = [];
  const cells = new Map();
  widgets.forEach((w, i) => {
    const where = `widget ${i} (${w?.type} "${w?.properties?.title ?? ""}")`;
    if (!WIDGET_TYPES.has(w?.type)) { problems.push(`${where}: type must be one of ${[...WIDGET_TYPES].join(", ")}`); return; }
    const int = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
    if (!int(w.x, 0, 23) || !int(w.y, 0, 1e6) || !int(w.width, 1, 24) || !int(w.height, 1, 1000)) {
      problems.push(`${where}: x 0-23, y >= 0, width 1-24 and height 1-1000 must be integers (x=${w.x} y=${w.y} width=${w.width} height=${w.height})`);
    } else if (w.x + w.width > 24) {
      problems.push(`${where}: x ${w.x} + width ${w.width} is past the 24 columns`);
    } else {
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          const other = cells.get(`${x},${y}`);
          if (other !== undefined) { problems.push(`${where}: overlaps widget ${other}`); x = Infinity; break; }
          cells.set(`${x},${y}`, i);
        }
      }
    }
    const p = w.properties;
    if (!p || typeof p !== "object") { problems.push(`${where}: no properties`); return; }
    for (const k of Object.keys(w)) if (!["type", "x", "y", "width", "height", "properties"].includes(k)) problems.push(`${where}: unknown member ${k}`);
    if (w.type === "metric") problems.push(...checkMetricWidget(where, p, ctx, seen));
    if (w.type === "text" && typeof p.markdown !== "string") problems.push(`${where}: a text widget needs markdown`);
    if (w.type === "log") {
      if (typeof p.query !== "string" || !/^SOURCE '[^']+'( \| |$)/.test(p.query)) problems.push(`${where}: query must start with SOURCE '<log group>'`);
      if (p.region !== ctx.region) problems.push(`${where}: region ${JSON.stringify(p.region)}, not the stack's ${ctx.region}`);
      const group = /^SOURCE '([^']+)'/.exec(p.query ?? "")?.[1];
      if (group && ctx.logGroups && !ctx.logGroups.has(group)) problems.push(`${where}: log group ${group} is not one the module creates`);
    }
    if (w.type === "alarm") {
      if (!Array.isArray(p.alarms) || p.alarms.length === 0 || p.alarms.length > 100) { problems.push(`${where}: alarms must be an array of 1-100 alarm ARNs`); return; }
      for (const arn of p.alarms) {
        const m = /^arn:[a-z0-9-]+:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/.exec(arn);
        if (!m) { problems.push(`${where}: ${arn} is not an alarm ARN`); continue; }
        if (m[1] !== ctx.region) problems.push(`${where}: ${arn} is not in the stack's region`);
        if (ctx.alarmNames && !ctx.alarmNames.has(m[3])) problems.push(`${where}: ${m[3]} is not an alarm of the module`);
        alarms.push(m[3]);
      }
    }
  });
  return { problems, seen, alarms };
}

/**
 * The alarms of a plan (aws_cloudwatch_metric_alarm values): each metric one the functions emit
 * (checkMetric), metric math with exactly one returned expression and known ids.
 */
export function checkAlarms(alarms, ctx) {
  const problems = [];
  for (const a of alarms) {
    const v = a.values;
    const where = a.address;
    if (v.metric_name) {
      problems.push(...checkMetric(where, v.namespace, v.metric_name, v.dimensions ?? {}, ctx));
      continue;
    }
    const queries = v.metric_query ?? [];
    if (!queries.length) { problems.push(`${where}: neither metric_name nor metric_query`); continue; }
    const ids = new Set(queries.map((q) => q.id));
    if (queries.filter((q) => q.return_data === true).length !== 1) problems.push(`${where}: exactly one metric_query must set return_data = true`);
    if (queries.filter((q) => q.metric?.length).length > 10 || queries.filter((q) => q.expression).length > 10) problems.push(`${where}: at most 10 metrics and 10 expressions in an alarm`);
    for (const q of queries) {
      if (!ID.test(q.id ?? "")) problems.push(`${where}: metric_query id ${JSON.stringify(q.id)}`);
      if (q.expression) {
        if (/SEARCH\(/.test(q.expression)) problems.push(`${where}: an alarm cannot use SEARCH`);
        for (const ref of referencedIds(q.expression)) if (!ids.has(ref)) problems.push(`${where}: ${q.id} refers to ${ref}, which no metric_query has as its id`);
      }
      for (const m of q.metric ?? []) problems.push(...checkMetric(`${where} ${q.id}`, m.namespace, m.metric_name, m.dimensions ?? {}, ctx));
    }
  }
  return problems;
}

// What the dashboard must show (issue: metrics, dashboard, alarms; README "Metrics, dashboard and
// alarms"): these EMF metrics by function, these expressions by label, and for every function
// Lambda's Errors, Duration and Throttles.
export const REQUIRED = {
  metrics: {
    reminders: ["RemindersSent", "RemindersBlocked", "RemindersDeferred"],
    "delivery-events": ["MessagesFinal", "MessagesDelivered", "MessagesFailed", "DeliveryCost", "TextSpam", "TextCarrierBlocked", "TextBlocked", "TextProtectBlocked"],
    "sms-inbound": ["InboundTexts", "OptOutsReceived"],
    "deadline-monitor": ["OptOutsOverdue", "OptOutsDueSoon"],
  },
  expressions: ["DeliverySuccessRate", "OptOutRate", "ResponseRate"],
  lambda: ["Errors", "Duration", "Throttles"],
};

/**
 * Every check on one plan of terraform/tests/dashboard.tftest.hcl (plansFromTestOutput), with
 * `emitted`: Map function key -> Map metric -> Set of dimension lists (the C++ scan).
 * Returns a list of problems.
 */
export function checkPlan(plan, emitted) {
  const of = (type) => plan.resources.filter((r) => r.type === type);
  const problems = [];
  const functions = new Map(of("aws_lambda_function").map((r) => [r.values.function_name, /\["([^"]+)"\]$/.exec(r.address)?.[1]]));
  const namespaces = new Set(of("aws_lambda_function").map((r) => r.values.environment?.[0]?.variables?.METRICS_NAMESPACE));
  if (namespaces.size !== 1) problems.push(`the functions do not share one METRICS_NAMESPACE: ${[...namespaces].join(", ")}`);
  const alarms = of("aws_cloudwatch_metric_alarm");
  const dashboards = of("aws_cloudwatch_dashboard");
  if (dashboards.length !== 1) return [...problems, `expected one aws_cloudwatch_dashboard, found ${dashboards.length}`];
  const body = dashboards[0].values.dashboard_body;
  if (typeof body !== "string") return [...problems, "dashboard_body is not known at plan: build it from names, not from values the provider computes"];
  const regions = new Set([...body.matchAll(/"region":"([^"]*)"/g)].map((m) => m[1]));
  if (regions.size !== 1) problems.push(`the widgets name ${regions.size} regions: ${[...regions].join(", ")}`);
  const ctx = {
    namespace: [...namespaces][0],
    region: [...regions][0],
    functions,
    emitted,
    queues: new Set(of("aws_sqs_queue").map((r) => r.values.name)),
    logGroups: new Set(of("aws_cloudwatch_log_group").map((r) => r.values.name)),
    alarmNames: new Set(alarms.map((a) => a.values.alarm_name)),
  };
  const { problems: bodyProblems, seen, alarms: listed } = checkDashboardBody(body, ctx);
  problems.push(...bodyProblems, ...checkAlarms(alarms, ctx));

  // Coverage: what the dashboard must show, every alarm listed and every alarm's metric shown.
  const deployed = new Map([...functions].map(([name, key]) => [key, name]));
  const shows = (namespace, name, fn) => seen.some((s) => s.namespace === namespace && s.name === name && (s.dims?.FunctionName === deployed.get(fn)));
  for (const [fn, names] of Object.entries(REQUIRED.metrics)) {
    for (const name of names) if (!shows(ctx.namespace, name, fn)) problems.push(`the dashboard does not show ${fn}'s ${name}`);
  }
  for (const label of REQUIRED.expressions) {
    if (!seen.some((s) => s.expression && s.label === label)) problems.push(`the dashboard has no expression labelled ${label}`);
  }
  for (const fn of deployed.keys()) {
    for (const name of REQUIRED.lambda) if (!shows("AWS/Lambda", name, fn)) problems.push(`the dashboard does not show ${fn}'s Lambda ${name}`);
  }
  for (const name of ctx.alarmNames) if (!listed.includes(name)) problems.push(`the alarm widget does not list ${name}`);
  for (const a of alarms) {
    const watched = a.values.metric_name
      ? [{ namespace: a.values.namespace, name: a.values.metric_name, dims: a.values.dimensions ?? {} }]
      : (a.values.metric_query ?? []).flatMap((q) => (q.metric ?? []).map((m) => ({ namespace: m.namespace, name: m.metric_name, dims: m.dimensions ?? {} })));
    for (const w of watched) {
      const same = (s) => s.namespace === w.namespace && s.name === w.name && JSON.stringify(Object.entries(s.dims ?? {}).sort()) === JSON.stringify(Object.entries(w.dims).sort());
      if (!seen.some(same)) problems.push(`${a.address} watches ${w.namespace} ${w.name} ${JSON.stringify(w.dims)}, which the dashboard does not show`);
    }
  }
  return problems;
}
