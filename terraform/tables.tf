# The three tables of README "Data" (keys and indexes as in
# scripts/node/tables.json, which the local stack uses; tests/terraform checks
# that the two agree). On-demand, point-in-time recovery, encrypted.

resource "aws_dynamodb_table" "contacts" {
  name                        = "${var.name_prefix}-contacts"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "phone_number"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "phone_number"
    type = "S"
  }
  attribute {
    name = "opt_out_pending"
    type = "S"
  }
  attribute {
    name = "opt_out_deadline"
    type = "S"
  }

  # Sparse: only contacts with an opt-out not yet honoured carry opt_out_pending.
  global_secondary_index {
    name            = "pending-opt-outs"
    hash_key        = "opt_out_pending"
    range_key       = "opt_out_deadline"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_dynamodb_table" "message_log" {
  name                        = "${var.name_prefix}-message-log"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "phone_number"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "phone_number"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }
  attribute {
    name = "message_id"
    type = "S"
  }
  attribute {
    name = "notify_due_shard"
    type = "N"
  }
  attribute {
    name = "notify_due_at"
    type = "S"
  }
  attribute {
    name = "notify_at"
    type = "S"
  }
  attribute {
    name = "opt_out_day"
    type = "S"
  }

  # Any inbound or outbound text by End User Messaging's MessageId (sparse: items without one,
  # like consent events and blocked sends, are not in it). Keys only: a lookup is a Query here
  # for the item's key, then a GetItem or UpdateItem on the table (docs/round-trips.md).
  global_secondary_index {
    name            = "by-message-id"
    hash_key        = "message_id"
    projection_type = "KEYS_ONLY"
  }

  # notify's deferred texts by the time they may go out (sparse: only a deferred item has the
  # keys), spread over 8 shards; the release run every 15 minutes Queries each shard for
  # notify_due_at <= now. ALL: the run needs the whole request, with no GetItem per text.
  global_secondary_index {
    name            = "notify-due"
    hash_key        = "notify_due_shard"
    range_key       = "notify_due_at"
    projection_type = "ALL"
  }

  # A number's notify requests by time (sparse: only notify items have notify_at), which the
  # history (GET /contacts/{phone_number}/history) merges with the number's time-ordered items:
  # notify items are keyed by idempotency key, not time. ALL: the history shows the whole item.
  global_secondary_index {
    name            = "notify-by-phone"
    hash_key        = "phone_number"
    range_key       = "notify_at"
    projection_type = "ALL"
  }

  # Opt-outs by the UTC day they were requested (sparse: only opt-out consent events have
  # opt_out_day), for the period report (GET /opt-outs): a Query a day, never a scan.
  global_secondary_index {
    name            = "opt-outs-by-day"
    hash_key        = "opt_out_day"
    range_key       = "sk"
    projection_type = "ALL"
  }

  # Items carry a ttl 4 years ahead (28 U.S.C. 1658); DynamoDB deletes after it.
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_dynamodb_table" "appointments" {
  name                        = "${var.name_prefix}-appointments"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "appointment_id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "appointment_id"
    type = "S"
  }
  attribute {
    name = "reminder_shard"
    type = "N"
  }
  attribute {
    name = "reminder_due_at"
    type = "S"
  }
  attribute {
    name = "phone_number"
    type = "S"
  }
  attribute {
    name = "starts_at"
    type = "S"
  }

  # Sparse: only appointments with a reminder still to send carry the shard key. Partition: the
  # appointment's shard (0-7, REMINDER_SHARDS), sort key: when the reminder is due; a run makes
  # one Query per shard (common/appointments/appointments.hpp).
  global_secondary_index {
    name            = "reminders-due"
    hash_key        = "reminder_shard"
    range_key       = "reminder_due_at"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "appointments-by-phone"
    hash_key        = "phone_number"
    range_key       = "starts_at"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}
