// Helpers for the opt-out-api and deadline-monitor integration tests: run a bootstrap under the
// Runtime API emulator against the local stack of the `local_stack` fixture, and read back what
// the stores hold (DynamoDB items, the opt-out list, the outbox, the stand-in's fault control).
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/compliance/phone.hpp"
#include "common/time.hpp"
#include "tests/integration/test_support.hpp"

namespace consent_test {

using json = nlohmann::json;
using test_support::fresh_id;
using test_support::fresh_number;
using test_support::read_env_file;
using test_support::rng;
using test_support::shell_quote;






/// What one emulator run printed: its JSON result lines and the function's log (stderr).
struct Run {
  std::vector<json> results;
  std::string log;
};

/// Runs `bootstrap` on `event` with the stack's env file plus `env` (KEY=VALUE).
inline Run run_bootstrap(const std::string& bootstrap, const json& event,
                         const std::vector<std::string>& env, double timeout_seconds = 20) {
  namespace fs = std::filesystem;
  const std::string path = fs::temp_directory_path() / (fresh_id("event") + ".json");
  std::ofstream(path) << event.dump();
  std::string cmd = std::string(SMSC_EMULATOR) + " --output json --timeout " +
                    std::to_string(timeout_seconds) + " --env-file " +
                    shell_quote(std::string(SMSC_STACK_DIR) + "/env");
  for (const auto& e : env) cmd += " --env " + shell_quote(e);
  cmd += " " + bootstrap + " " + path + " 2>" + path + ".log";
  Run run;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (pipe && fgets(buf, sizeof buf, pipe)) out += buf;
  if (pipe) pclose(pipe);
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) run.results.push_back(json::parse(line));
  }
  std::ifstream log(path + ".log");
  run.log.assign(std::istreambuf_iterator<char>(log), {});
  fs::remove(path);
  fs::remove(path + ".log");
  return run;
}

/// The local stack's env file and a DynamoDB client on it.
class Stack {
 public:
  Stack() : env_(read_env_file(std::string(SMSC_STACK_DIR) + "/env")) {
    if (env_.empty()) return;
    db_ = std::make_unique<common::aws::DynamoDbClient>(common::aws::client_config_from_environment(
        common::aws::kDynamoDb, common::aws::Environment::from_map(env_)));
  }
  bool up() const { return db_ != nullptr; }
  std::string env(const std::string& key) const {
    auto it = env_.find(key);
    return it == env_.end() ? "" : it->second;
  }
  common::aws::DynamoDbClient& db() { return *db_; }

  std::optional<common::aws::AttributeMap> item(const std::string& table, const std::string& phone) {
    return db_->get_item({table, {{"phone_number", common::aws::AttributeValue::S(phone)}}, true})
        .value();
  }

  std::vector<common::aws::AttributeMap> log_items(const std::string& phone,
                                                   const std::string& direction) {
    common::aws::QueryRequest q;
    q.table_name = env("MESSAGE_LOG_TABLE");
    q.key_condition_expression = q.expression.name("phone_number") + " = " +
                                 q.expression.value(common::aws::AttributeValue::S(phone));
    q.consistent_read = true;
    std::vector<common::aws::AttributeMap> out;
    const common::aws::QueryResult result = db_->query(q).value();
    for (const auto& i : result.items) {
      if (common::aws::get_s(i, "direction") == direction) out.push_back(i);
    }
    return out;
  }

  /// The numbers on the opt-out list (the stand-in's state file, flushed first: the stand-in
  /// coalesces writes of big lists).
  json opt_out_list() const {
    control_post("/_standin/flush", json::object());
    std::ifstream in(env("LOCAL_STACK_OPT_OUT_FILE"));
    if (!in) return json::object();
    json lists = json::parse(in);
    const auto& list = lists[env("OPT_OUT_LIST_NAME")];
    return list.is_object() ? list : json::object();
  }
  bool on_opt_out_list(const std::string& phone) const { return opt_out_list().contains(phone); }

  /// Texts sent to `phone` (the stand-in's outbox).
  std::vector<json> outbox_for(const std::string& phone) const {
    std::vector<json> out;
    std::ifstream in(env("LOCAL_STACK_OUTBOX"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto j = json::parse(line);
      if (j["DestinationPhoneNumber"] == phone) out.push_back(j);
    }
    return out;
  }

  /// POSTs to the stand-in's fault control endpoint; true when accepted.
  bool stand_in_faults(const json& body) const { return control_post("/_standin/faults", body); }

  /// POSTs to one of the stand-in's control endpoints (/_standin/...); true when accepted.
  bool control_post(const std::string& path, const json& body) const {
    const std::string url = env("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2");
    httplib::Client control("127.0.0.1", std::stoi(url.substr(url.rfind(':') + 1)));
    auto res = control.Post(path, body.dump(), "application/json");
    return res && res->status == 200;
  }

 private:
  std::map<std::string, std::string> env_;
  std::unique_ptr<common::aws::DynamoDbClient> db_;
};

}  // namespace consent_test
