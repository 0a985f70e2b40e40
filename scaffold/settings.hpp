// The settings several functions share (tables, messaging identity, metrics namespace), read from
// the environment in one place. Each function names which of them it reads and which it requires;
// its own settings stay in its Config, which extends Settings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/aws/environment.hpp"
#include "common/compliance/quiet_hours.hpp"

namespace scaffold {

/// Whether a function reads one shared setting: not at all, when set, or always (missing is an
/// init error naming the variable).
enum class Use { kNo, kOptional, kRequired };
/// Short names for a function's Uses: {.contacts_table = scaffold::kRequired, ...}.
inline constexpr Use kOptional = Use::kOptional;
inline constexpr Use kRequired = Use::kRequired;

/// Which shared settings a function reads. Each field is named like its variable, in lower case
/// (contacts_table: CONTACTS_TABLE); tests/terraform reads these names from the functions' code.
struct Uses {
  Use contacts_table = Use::kNo;          ///< CONTACTS_TABLE
  Use message_log_table = Use::kNo;       ///< MESSAGE_LOG_TABLE
  Use appointments_table = Use::kNo;      ///< APPOINTMENTS_TABLE
  Use origination_identity = Use::kNo;    ///< ORIGINATION_IDENTITY: our number, pool id or ARN
  Use configuration_set_name = Use::kNo;  ///< CONFIGURATION_SET_NAME
  Use opt_out_list_name = Use::kNo;       ///< OPT_OUT_LIST_NAME: the End User Messaging list
  Use program_name = Use::kNo;            ///< PROGRAM_NAME: named in every text we send
};

/// The shared settings' values; "" for those a function does not use or that are unset.
/// function_name and metrics_namespace are read for every function. (Every field has a default
/// so that tests may name only the fields they need: {.contacts_table = "contacts"}.)
struct Settings {
  std::string function_name = {};  ///< AWS_LAMBDA_FUNCTION_NAME, else the name in main.cpp
  std::string metrics_namespace = "SmsCompliance";  ///< METRICS_NAMESPACE (EMF namespace)
  std::string contacts_table = {};
  std::string message_log_table = {};
  std::string appointments_table = {};
  std::string origination_identity = {};
  std::string configuration_set_name = {};
  std::string opt_out_list_name = {};
  std::string program_name = {};
};

/// Reads the settings `uses` names (plus function_name, default `function`, and
/// metrics_namespace) through `reader`, which collects every problem for one init error (call
/// reader.check() after reading the function's own settings).
Settings read_settings(common::aws::SettingsReader& reader, const Uses& uses,
                       std::string_view function);

/// The same into the Settings part of a function's Config (which extends Settings), its own
/// fields untouched: `Config c; scaffold::read_settings(reader, kUses, "name", c);`.
void read_settings(common::aws::SettingsReader& reader, const Uses& uses, std::string_view function,
                   Settings& into);

/// STATE_EMERGENCIES, for the functions that send on a schedule or for a business (reminders,
/// notify): `value` (the variable's, nullopt when unset; read by the function itself, so the
/// offline checks see which functions read it) parsed into `into.emergencies`
/// (common::compliance::parse_state_emergencies), a bad value recorded on `reader` as
/// "STATE_EMERGENCIES: <why>" (docs/compliance.md#state-emergencies).
void read_state_emergencies(common::aws::SettingsReader& reader,
                            const std::optional<std::string>& value,
                            common::compliance::QuietHoursOptions& into);

}  // namespace scaffold
