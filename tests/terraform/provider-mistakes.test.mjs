// Purpose-made mistakes the real terraform binary and provider must catch:
// each group edits a copy of terraform/ (initialised once against the local
// provider) and expects `terraform validate` or `terraform test` to fail with a
// message naming each of its mistakes. Proves those checks can fail. Mistakes
// that terraform reports side by side share one run (a provider start costs
// seconds); each is still checked by its own message. Run through
// `node tests/terraform/tf.mjs mistakes`, which skips (exit 77) when terraform
// or the provider is missing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { providerSchemaFor, schemaDifferences, schemaFile } from "./lib/schema.mjs";
import { toolchain, workspace } from "./lib/terraform.mjs";

// Run directly (node --test), a missing tool skips every test with its reason;
// tf.mjs mistakes reports that to ctest as a skip (exit 77) before getting here.
const tools = await toolchain();
const skip = tools.skip ? `needs terraform and a local hashicorp/aws provider: ${tools.skip}` : false;

let base;
before(async () => {
  if (!skip) base = await workspace(tools);
});
after(async () => base?.dispose());

/**
 * Runs terraform `args` on a copy of the module with each edit applied
 * ({ file, from: string|RegExp, to }) and the files of `extra` (name -> text)
 * added. Resolves to terraform's { code, output }.
 */
async function withMistakes(edits, args, extra = {}) {
  const ws = await base.copy();
  try {
    for (const [name, text] of Object.entries(extra)) await writeFile(path.join(ws.dir, name), text);
    for (const { file, from, to } of edits) {
      const target = path.join(ws.dir, file);
      const source = await readFile(target, "utf8");
      const found = typeof from === "string" ? source.includes(from) : from.test(source);
      assert.ok(found, `test setup: ${file} no longer contains ${from instanceof RegExp ? from : JSON.stringify(from)}`);
      await writeFile(target, source.replace(from, to));
    }
    return await ws.run(args);
  } finally {
    await ws.dispose();
  }
}

const validate = ["validate", "-no-color"];
const testFile = (name) => ["test", "-no-color", `-filter=tests/${name}.tftest.hcl`];
// variables.tf without log_retention_days' validation block.
const noRetentionValidation = { file: "variables.tf", from: /(variable "log_retention_days" \{[^]*?)\n  validation \{[^}]*\}\n/, to: "$1" };

// Grouped only where terraform reports the mistakes side by side: validate
// stops at the first phase with errors (decoding, the framework's typed
// values, then the SDK's validators), and terraform test skips a file's later
// runs after a missing expected failure.
const groups = [
  {
    name: "terraform validate: the provider's validators (SDK resources)",
    args: validate,
    mistakes: [
      {
        name: "an invalid Lambda runtime (the provider's enum)",
        edit: { file: "functions.tf", from: "runtime          = var.runtime", to: "runtime          = \"provided.al2099\"" },
        expect: /expected runtime to be one of .*got provided\.al2099/s,
      },
      {
        name: "an invalid Lambda architecture (the provider's enum)",
        edit: { file: "functions.tf", from: "architectures    = [var.architecture]", to: "architectures    = [\"x86-64\"]" },
        expect: /expected architectures to be one of \["x86_64" "arm64"\], got x86-64/,
      },
    ],
  },
  {
    name: "terraform validate: the provider's validators (framework resources)",
    args: validate,
    mistakes: [
      {
        name: "an invalid message_type on the phone number (the provider's enum)",
        edit: { file: "messaging.tf", from: "message_type                  = var.message_type", to: "message_type                  = \"TRANSACTIONAL_ONLY\"" },
        expect: /Given Value: TRANSACTIONAL_ONLY\s+Valid Values: \[TRANSACTIONAL PROMOTIONAL/,
      },
      {
        name: "an invalid number type on the phone number (the provider's enum)",
        edit: { file: "messaging.tf", from: "number_type                   = var.number_type", to: "number_type                   = \"SHORT_CODE\"" },
        expect: /Given Value: SHORT_CODE\s+Valid Values: \[LONG_CODE TOLL_FREE TEN_DLC SIMULATOR/,
      },
    ],
  },
  {
    name: "terraform validate: the provider's schema",
    args: validate,
    mistakes: [
      {
        name: "a misspelled argument",
        edit: { file: "alarms.tf", from: "treat_missing_data  = \"notBreaching\"", to: "treat_missing_datum = \"notBreaching\"" },
        expect: /An argument named "treat_missing_datum" is not expected here/,
      },
    ],
  },
  {
    name: "terraform test (stack): assertions",
    args: testFile("stack"),
    mistakes: [
      {
        name: "two-way SMS turned off",
        edit: { file: "messaging.tf", from: "two_way_channel_enabled       = true", to: "two_way_channel_enabled       = false" },
        expect: /inbound texts must go to the inbound topic \(two-way channel\)/,
      },
      {
        name: "the architecture hard-coded",
        edit: { file: "functions.tf", from: "architectures    = [var.architecture]", to: "architectures    = [\"x86_64\"]" },
        expect: /every function must be built for arm64/,
      },
    ],
  },
  {
    name: "terraform test (refusals): a precondition",
    args: testFile("refusals"),
    mistakes: [
      {
        name: "the TEN_DLC registration precondition removed",
        edit: { file: "messaging.tf", from: /    precondition \{\n      condition     = var\.number_type != "TEN_DLC" \|\| var\.registration_id != ""\n[^}]*\}\n/, to: "" },
        expect: /run "ten_dlc_without_registration"\.\.\. fail[\s\S]*aws_pinpointsmsvoicev2_phone_number\.this, was expected\s+to report an error/,
      },
    ],
  },
  {
    name: "terraform test (refusals): a variable validation",
    args: testFile("refusals"),
    mistakes: [
      {
        name: "a variable validation removed",
        edit: noRetentionValidation,
        expect: /Missing expected failure[\s\S]*var\.log_retention_days, was expected to report an error/,
      },
    ],
  },
  {
    // What the mock leaves to the provider: without the module's validation, a
    // value only a run's variables carry still meets the provider's validator.
    name: "terraform test (a run of its own): the provider's validators under the mock",
    args: testFile("retention"),
    extra: {
      "tests/retention.tftest.hcl": String.raw`mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}" }
  }
}
run "retention" {
  command = plan
  variables {
    program_name       = "Acme Dental"
    help_contact       = "help@acme.example"
    dist_dir           = "tests/fixtures/zips"
    log_retention_days = 2
  }
}
`,
    },
    mistakes: [
      {
        name: "a log retention CloudWatch refuses, once the module no longer validates it",
        edit: noRetentionValidation,
        expect: /expected retention_in_days to be one of \[.*\], got 2/,
      },
    ],
  },
];

// Two at a time: each terraform run is about half waiting (provider start-up).
describe("purpose-made mistakes", { concurrency: 2, skip }, () => {
  for (const g of groups) {
    test(g.name, async (t) => {
      const r = await withMistakes(g.mistakes.map((m) => m.edit), g.args, g.extra);
      assert.notEqual(r.code, 0, `terraform ${g.args.join(" ")} passed with the mistakes:\n${r.output}`);
      for (const m of g.mistakes) {
        await t.test(`catches ${m.name}`, () => {
          assert.match(r.output, m.expect, `terraform ${g.args.join(" ")} failed, but not for this mistake:\n${r.output}`);
        });
      }
    });
  }
});

test("an argument typed into provider-schema.json by hand is told apart from the provider's schema", { skip }, async () => {
  const committed = JSON.parse(await readFile(schemaFile, "utf8"));
  const { reduced, version } = await providerSchemaFor(base);
  assert.equal(committed.provider_version, version, "test setup: provider-schema.json is from another provider release");
  assert.deepEqual(schemaDifferences(committed, reduced), [], "provider-schema.json must match the provider it names");
  committed.resource.aws_pinpointsmsvoicev2_phone_number.attributes.self_managed_opt_out_enabled = "optional";
  assert.deepEqual(schemaDifferences(committed, reduced), [
    "resource.aws_pinpointsmsvoicev2_phone_number.attributes.self_managed_opt_out_enabled: \"optional\" in provider-schema.json, absent in the provider",
  ]);
});

test("the unchanged copy passes terraform validate (the mistakes above are what fails)", { skip }, async () => {
  const ws = await base.copy();
  try {
    const r = await ws.run(validate);
    assert.equal(r.code, 0, r.output);
  } finally {
    await ws.dispose();
  }
});
