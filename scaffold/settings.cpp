#include "scaffold/settings.hpp"

#include <stdexcept>

namespace scaffold {
namespace {

// One shared setting: its variable, how the function uses it, where its value goes.
void read_one(common::aws::SettingsReader& reader, std::string_view variable, Use use,
              std::string& value) {
  switch (use) {
    case Use::kNo:
      return;
    case Use::kOptional:
      value = reader.get_or(variable, "");
      return;
    case Use::kRequired:
      value = reader.required(variable);
      return;
  }
}

}  // namespace

Settings read_settings(common::aws::SettingsReader& reader, const Uses& uses,
                       std::string_view function) {
  Settings s;
  s.function_name = reader.get_or("AWS_LAMBDA_FUNCTION_NAME", function);
  s.metrics_namespace = reader.get_or("METRICS_NAMESPACE", s.metrics_namespace);
  // The variables' names, once each; the Uses field of the same name says whether to read it.
  read_one(reader, "CONTACTS_TABLE", uses.contacts_table, s.contacts_table);
  read_one(reader, "MESSAGE_LOG_TABLE", uses.message_log_table, s.message_log_table);
  read_one(reader, "APPOINTMENTS_TABLE", uses.appointments_table, s.appointments_table);
  read_one(reader, "ORIGINATION_IDENTITY", uses.origination_identity, s.origination_identity);
  read_one(reader, "CONFIGURATION_SET_NAME", uses.configuration_set_name, s.configuration_set_name);
  read_one(reader, "OPT_OUT_LIST_NAME", uses.opt_out_list_name, s.opt_out_list_name);
  read_one(reader, "PROGRAM_NAME", uses.program_name, s.program_name);
  return s;
}

void read_settings(common::aws::SettingsReader& reader, const Uses& uses, std::string_view function,
                   Settings& into) {
  into = read_settings(reader, uses, function);
}

void read_state_emergencies(common::aws::SettingsReader& reader,
                            const std::optional<std::string>& value,
                            common::compliance::QuietHoursOptions& into) {
  if (!value) return;
  try {
    into.emergencies = common::compliance::parse_state_emergencies(*value);
  } catch (const std::invalid_argument& e) {
    reader.problem(std::string("STATE_EMERGENCIES: ") + e.what());
  }
}

}  // namespace scaffold
