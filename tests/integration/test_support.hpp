// Small helpers shared by the integration tests: the local stack's env file,
// shell quoting, running a command, and fresh ids and phone numbers so tests
// (one process each) never share a contact.
#pragma once

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

#include "common/compliance/phone.hpp"

namespace test_support {

/// KEY=VALUE lines of an env file (the local stack's `env`); # comments skipped.
inline std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

/// `s` quoted for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs a shell command; its stdout, and its wait status in `status`.
inline std::string run_command(const std::string& command, int& status) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  status = pclose(pipe);
  return out;
}

/// Runs a shell command; its stdout.
inline std::string run_command(const std::string& command) {
  int status = 0;
  return run_command(command, status);
}

/// One random source per test process.
inline std::mt19937_64& rng() {
  static std::mt19937_64 r(std::random_device{}());
  return r;
}

/// "<prefix>-<random>".
inline std::string fresh_id(const std::string& prefix) { return prefix + "-" + std::to_string(rng()()); }

/// A random valid NANP number in area code `npa` (a random one when 0), E.164. The exchange is
/// never 550-559: hand-picked numbers in tests (555-01XX, the fictional range) and the deadline
/// monitor's bulk numbers (553 and 554) live there, so a random number never collides with them.
/// The space is about 4.7 billion numbers, so two tests of one run (which share the contacts table,
/// the message log and the opt-out list) never draw the same number in practice.
inline std::string fresh_number(int npa = 0) {
  for (;;) {
    const unsigned area = npa != 0 ? unsigned(npa) : 200 + unsigned(rng()() % 800);
    const unsigned exchange = 200 + unsigned(rng()() % 800);
    if (exchange / 10 == 55) continue;
    char buf[32];
    std::snprintf(buf, sizeof buf, "+1%03u%03u%04u", area, exchange, unsigned(rng()() % 10000));
    if (common::compliance::parse_phone_number(buf).ok) return buf;
  }
}

}  // namespace test_support
