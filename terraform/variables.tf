variable "region" {
  description = "AWS Region for every resource (End User Messaging SMS numbers are regional)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like us-east-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (tables, functions, topics, queues, roles)."
  type        = string
  default     = "sms-compliance"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource (provider default_tags)."
  type        = map(string)
  default     = {}
}

variable "dist_dir" {
  description = "Folder holding the function zips built by scripts/build (dist/<function>.zip). Relative paths are from this module."
  type        = string
  default     = "../dist"
}

variable "runtime" {
  description = "Lambda runtime of the static bootstraps. provided.al2023 by default; provided.al2 is accepted for accounts that still run it (the same zip runs on both)."
  type        = string
  default     = "provided.al2023"

  validation {
    condition     = contains(["provided.al2023", "provided.al2"], var.runtime)
    error_message = "runtime must be provided.al2023 or provided.al2."
  }
}

variable "architecture" {
  description = "Instruction set of the zips: x86_64 (scripts/build) or arm64 (scripts/build --arch arm64). Must match what was built."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "function_settings" {
  description = "Memory (MB) and timeout (s) of functions, where they should differ from functions/functions.json (any function, either field). sms-inbound's timeout must stay below PROCESSING_LEASE_SECONDS (900)."
  type = map(object({
    memory_size = optional(number)
    timeout     = optional(number)
  }))
  default = {}

  validation {
    condition = alltrue([
      # coalesce: HCL's || does not short-circuit, so a null field must not reach a comparison.
      for s in values(var.function_settings) : coalesce(s.memory_size, 128) >= 128 && coalesce(s.memory_size, 128) <= 10240 && coalesce(s.timeout, 1) >= 1 && coalesce(s.timeout, 1) <= 900
    ])
    error_message = "memory_size must be 128-10240 MB and timeout 1-900 s."
  }

  validation {
    condition     = try(var.function_settings["sms-inbound"].timeout < 900, true)
    error_message = "sms-inbound's timeout must be below its 900 s processing lease, or a slow attempt could be repeated while still running."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the functions' log groups, in days (logs hold no message bodies; the 4-year record is the message log table)."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "log_level" {
  description = "Application log level (Lambda advanced logging sets AWS_LAMBDA_LOG_LEVEL from it)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_format" {
  description = "Lambda log format: JSON (structured lines, which CloudWatch Logs Insights and log-level filtering read) or Text (plain lines; log_level then does not apply). Lambda passes it to the functions as AWS_LAMBDA_LOG_FORMAT."
  type        = string
  default     = "JSON"

  validation {
    condition     = contains(["JSON", "Text"], var.log_format)
    error_message = "log_format must be JSON or Text."
  }
}

variable "enable_xray" {
  description = "Active X-Ray tracing on every function."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection on the three tables. Keep true in production: they hold the 4-year consent record."
  type        = bool
  default     = true
}

variable "number_type" {
  description = "Origination number to request: SIMULATOR (development, texts only simulator destinations, no registration), TOLL_FREE, TEN_DLC (US only, needs registration_id) or LONG_CODE (countries other than the US). Ignored when existing_origination_identity is set."
  type        = string
  default     = "SIMULATOR"

  validation {
    condition     = contains(["SIMULATOR", "TOLL_FREE", "TEN_DLC", "LONG_CODE"], var.number_type)
    error_message = "number_type must be SIMULATOR, TOLL_FREE, TEN_DLC or LONG_CODE."
  }
}

variable "registration_id" {
  description = "End User Messaging registration to attach the requested number to (toll-free verification or 10DLC campaign); empty for none. Required for TEN_DLC."
  type        = string
  default     = ""

  validation {
    condition     = var.registration_id == "" || can(regex("^[A-Za-z0-9_:/-]{1,256}$", var.registration_id))
    error_message = "registration_id must be empty or a registration ID (letters, digits, _ : / -), as the End User Messaging console shows it."
  }
}

variable "iso_country_code" {
  description = "ISO 3166-1 alpha-2 country of the requested number (two capital letters). US by default: TOLL_FREE, TEN_DLC or SIMULATOR there; LONG_CODE only elsewhere (US carriers refuse application-to-person texts from long codes)."
  type        = string
  default     = "US"

  validation {
    condition     = can(regex("^[A-Z]{2}$", var.iso_country_code))
    error_message = "iso_country_code must be two capital letters (ISO 3166-1 alpha-2), e.g. US or GB."
  }
}

variable "existing_origination_identity" {
  description = "ARN of an existing phone number or pool to send from instead of requesting one. Its two-way SMS and self-managed opt-outs are then yours to configure (or import the number into aws_pinpointsmsvoicev2_phone_number.this)."
  type        = string
  default     = ""

  validation {
    condition     = var.existing_origination_identity == "" || can(regex("^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:[0-9]{12}:(phone-number|pool)/[A-Za-z0-9_-]+$", var.existing_origination_identity))
    error_message = "existing_origination_identity must be a phone-number or pool ARN (arn:aws:sms-voice:<region>:<account>:phone-number/<id>), so IAM can be scoped to it."
  }
}

variable "message_type" {
  description = "Message type the origination number is requested for: TRANSACTIONAL (reminders, replies) or PROMOTIONAL. The functions send every text as TRANSACTIONAL."
  type        = string
  default     = "TRANSACTIONAL"

  validation {
    condition     = contains(["TRANSACTIONAL", "PROMOTIONAL"], var.message_type)
    error_message = "message_type must be TRANSACTIONAL or PROMOTIONAL."
  }
}

variable "program_name" {
  description = "Program name in every reply and reminder (CTIA: identify the program)."
  type        = string

  validation {
    condition     = length(trimspace(var.program_name)) > 0 && length(var.program_name) <= 40
    error_message = "program_name must be 1-40 characters."
  }
}

variable "help_contact" {
  description = "Support contact named in HELP replies (phone, e-mail or URL)."
  type        = string

  validation {
    condition     = length(trimspace(var.help_contact)) > 0
    error_message = "help_contact must not be empty."
  }
}

variable "reply_texts" {
  description = "sms-inbound's reply texts per language, overriding the defaults (docs/compliance.md#languages): language (en, es) -> text name (help, opt_out_confirmation, opt_in_confirmation, appointment_confirmed, appointment_reschedule, appointment_not_found) -> text with {program}, {help_contact}, {frequency} and, in the two appointment texts, {when}. Any subset; empty keeps every default. The function checks at start-up that HELP and the confirmations keep the content CTIA requires (docs/compliance.md#required-content): a text that lacks it is an init error naming the element and the language."
  type        = map(map(string))
  default     = {}

  validation {
    condition     = alltrue([for language in keys(var.reply_texts) : contains(["en", "es"], language)])
    error_message = "reply_texts languages are en and es."
  }
  validation {
    condition = alltrue(flatten([for texts in values(var.reply_texts) : [for name in keys(texts) : contains(
    ["help", "opt_out_confirmation", "opt_in_confirmation", "appointment_confirmed", "appointment_reschedule", "appointment_not_found"], name)]]))
    error_message = "reply_texts names are help, opt_out_confirmation, opt_in_confirmation, appointment_confirmed, appointment_reschedule and appointment_not_found."
  }
  validation {
    condition     = alltrue(flatten([for texts in values(var.reply_texts) : [for text in values(texts) : length(trimspace(text)) > 0]]))
    error_message = "A reply text must not be empty."
  }
}

variable "message_frequency" {
  description = "The message frequency the opt-in confirmation states ({frequency}; CTIA), per language: {en = \"Up to 4 msgs/month\", es = \"Hasta 4 mensajes al mes\"}. Empty keeps the defaults (\"Msg frequency varies\", \"La frecuencia de mensajes varía\"); when set, both languages."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.message_frequency) == 0 || (length(var.message_frequency) == 2 && contains(keys(var.message_frequency), "en") && contains(keys(var.message_frequency), "es"))
    error_message = "message_frequency is empty or gives exactly en and es."
  }
  validation {
    condition     = alltrue([for text in values(var.message_frequency) : length(trimspace(text)) > 0 && length(text) <= 160])
    error_message = "A message_frequency text is 1-160 characters."
  }
}

variable "backend_url" {
  description = "Optional https:// URL that sms-inbound POSTs ordinary texts from consenting contacts to; empty to disable."
  type        = string
  default     = ""

  validation {
    condition     = var.backend_url == "" || can(regex("^https?://", var.backend_url))
    error_message = "backend_url must be empty or an http(s):// URL."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the functions' EMF metrics (and of the OptOutsOverdue/OptOutsDueSoon alarms)."
  type        = string
  default     = "SmsCompliance"
}

variable "reminder_lead_times" {
  description = "How long before an appointment reminders go out, comma-separated (e.g. \"24h,2h\")."
  type        = string
  default     = "24h"

  validation {
    condition     = can(regex("^[0-9]+[hm](,[0-9]+[hm])*$", var.reminder_lead_times))
    error_message = "reminder_lead_times must look like 24h or 24h,2h."
  }
}

variable "state_emergencies" {
  description = "States with a declared state of emergency whose law then bans telephone solicitations: reminders send nothing to numbers there (or whose state is unknown) while listed. Only \"LA\" (La. R.S. 45:844.31) has such a ban. Add it when the emergency is declared, remove it when it ends (docs/compliance.md#state-emergencies)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.state_emergencies : contains(["LA"], s)])
    error_message = "state_emergencies may list only states whose rule bans solicitations during a declared emergency: LA."
  }
}

variable "sms_max_parts_per_second" {
  description = "Message parts per second reminders may send: 3 for a toll-free number, higher for registered 10DLC campaigns."
  type        = number
  default     = 3

  validation {
    condition     = var.sms_max_parts_per_second >= 1 && var.sms_max_parts_per_second <= 1000
    error_message = "sms_max_parts_per_second must be 1-1000."
  }
}

variable "public_opt_out" {
  description = "Let anyone call POST /opt-out without IAM signing (a forged opt-out can only stop messages). /opt-in and /contacts always need IAM."
  type        = bool
  default     = false
}

variable "api_throttling_rate_limit" {
  description = "HTTP API stage steady-state request rate (requests per second)."
  type        = number
  default     = 20

  validation {
    condition     = var.api_throttling_rate_limit > 0
    error_message = "api_throttling_rate_limit must be positive."
  }
}

variable "api_throttling_burst_limit" {
  description = "HTTP API stage burst limit (requests)."
  type        = number
  default     = 40

  validation {
    condition     = var.api_throttling_burst_limit > 0
    error_message = "api_throttling_burst_limit must be positive."
  }
}

variable "opt_out_function_url" {
  description = "Also give opt-out-api a Lambda Function URL (IAM auth). Callers then need both lambda:InvokeFunctionUrl and lambda:InvokeFunction (output function_url_invoke_policy)."
  type        = bool
  default     = false
}

variable "reminders_schedule" {
  description = "EventBridge Scheduler expression for reminders."
  type        = string
  default     = "rate(15 minutes)"
}

variable "notify_release_schedule" {
  description = "EventBridge Scheduler expression for notify's release of deferred texts (a deferred text goes out within one period of its first lawful minute)."
  type        = string
  default     = "rate(15 minutes)"
}

variable "deadline_monitor_schedule" {
  description = "EventBridge Scheduler expression for deadline-monitor (daily by default, early morning US Eastern)."
  type        = string
  default     = "cron(0 11 * * ? *)"
}

variable "schedules_enabled" {
  description = "Whether the two schedules run (false keeps them, DISABLED)."
  type        = bool
  default     = true
}

variable "alert_email" {
  description = "E-mail address subscribed to the alerts topic (confirm the mail AWS sends); empty for none."
  type        = string
  default     = ""

  validation {
    condition     = var.alert_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be empty or an e-mail address."
  }
}

variable "notify_templates" {
  description = "notify's texts: name -> {text, category, text_es}. {program} is PROGRAM_NAME; every other {name} comes from the request's variables (a missing one is a 400, never a half-filled text). category (transactional or marketing) restricts what the template may be sent as; a marketing template must tell how to opt out (STOP). text_es, optional, is the Spanish variant sent to a contact whose language is es (docs/compliance.md#template-languages): exactly the variables of text, and STOP or ALTO when marketing. Checked at start-up (an init error names the template and text_es)."
  type = map(object({
    text     = string
    category = optional(string)
    text_es  = optional(string)
  }))
  default = {
    appointment_update = {
      text     = "{program}: Hi {name}, your appointment has changed: {details}. Reply STOP to opt out."
      category = "transactional"
      text_es  = "{program}: Hola {name}, su cita ha cambiado: {details}. Responda ALTO para no recibir mensajes."
    }
    order_shipped = {
      text     = "{program}: Hi {name}, your order {order} has shipped. Reply STOP to opt out."
      category = "transactional"
      text_es  = "{program}: Hola {name}, su pedido {order} ha sido enviado. Responda ALTO para no recibir mensajes."
    }
  }

  validation {
    condition     = length(var.notify_templates) > 0 || var.notify_allow_raw_body
    error_message = "notify_templates must define at least one template (unless notify_allow_raw_body is true)."
  }
  validation {
    condition     = alltrue([for t in values(var.notify_templates) : t.category == null || contains(["transactional", "marketing"], coalesce(t.category, "transactional"))])
    error_message = "A notify template's category is transactional or marketing."
  }
  validation {
    condition     = alltrue([for t in values(var.notify_templates) : coalesce(t.category, "transactional") != "marketing" || strcontains(t.text, "STOP")])
    error_message = "A marketing template must tell how to opt out (STOP)."
  }
  validation {
    condition     = alltrue([for t in values(var.notify_templates) : t.text_es == null || try(length(t.text_es) > 0, false)])
    error_message = "A notify template's text_es (its Spanish variant) is left out or not empty."
  }
  validation {
    condition     = alltrue([for t in values(var.notify_templates) : coalesce(t.category, "transactional") != "marketing" || t.text_es == null || strcontains(coalesce(t.text_es, "STOP"), "STOP") || strcontains(coalesce(t.text_es, "ALTO"), "ALTO")])
    error_message = "A marketing template's text_es must tell how to opt out (STOP or ALTO)."
  }
}

variable "notify_allow_raw_body" {
  description = "Let notify requests carry their own `body` instead of a configured template. Off: every text is one a person reviewed once."
  type        = bool
  default     = false
}

variable "notify_batch_size" {
  description = "SQS messages per notify invocation."
  type        = number
  default     = 10

  validation {
    condition     = var.notify_batch_size >= 1 && var.notify_batch_size <= 100
    error_message = "notify_batch_size must be 1 to 100."
  }
}

variable "notify_max_receive_count" {
  description = "Deliveries of one notify request before it goes to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.notify_max_receive_count >= 1 && var.notify_max_receive_count <= 1000
    error_message = "notify_max_receive_count must be 1 to 1000."
  }
}

variable "notify_queue_age_alarm_seconds" {
  description = "Alarm when the oldest notify request has waited longer than this (seconds)."
  type        = number
  default     = 900
}

variable "delivery_success_alarm_percent" {
  description = "Alarm when fewer than this percentage of the texts that reached a final status in an hour were delivered (DeliverySuccessRate)."
  type        = number
  default     = 95

  validation {
    condition     = var.delivery_success_alarm_percent > 0 && var.delivery_success_alarm_percent <= 100
    error_message = "delivery_success_alarm_percent must be above 0 and at most 100."
  }
}

variable "opt_out_rate_alarm_percent" {
  description = "Alarm when a day's opt-outs by text (STOP) exceed this percentage of the texts sent that day (OptOutRate)."
  type        = number
  default     = 5

  validation {
    condition     = var.opt_out_rate_alarm_percent >= 0 && var.opt_out_rate_alarm_percent < 100
    error_message = "opt_out_rate_alarm_percent must be at least 0 and below 100."
  }
}

variable "rate_alarm_min_texts" {
  description = "Fewest texts in an hour (delivery success) or a day (opt-out rate) for those alarms to judge it; below it they stay OK. 1 judges every period with a text; raise it to keep a single failed or opted-out text at low volume from alarming."
  type        = number
  default     = 1

  validation {
    condition     = var.rate_alarm_min_texts >= 1 && floor(var.rate_alarm_min_texts) == var.rate_alarm_min_texts
    error_message = "rate_alarm_min_texts must be a whole number, 1 or more."
  }
}
