// Command line of lambda-emulator: what to run, how, and with which events.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runtime::emulator {

/// How results are printed on stdout.
enum class OutputFormat { kText, kJson };

/// Everything the command line says; defaults are Lambda's.
struct Options {
  std::string bootstrap;                  ///< path of the executable (inside `chroot_dir` if set)
  std::vector<std::string> event_sources;  ///< files; "-" or none: stdin
  std::string function_name;              ///< default: the bootstrap's parent directory name
  std::string region;                     ///< default: $AWS_REGION or us-east-1
  std::chrono::milliseconds timeout{30'000};
  int memory_mb = 128;
  std::vector<std::pair<std::string, std::string>> env;  ///< --env-file entries, then --env
  std::string chroot_dir;                                 ///< empty: no chroot
  std::string trace_id;        ///< empty: a fresh X-Ray id per invocation
  std::string client_context;  ///< Lambda-Runtime-Client-Context (raw JSON), empty: not sent
  OutputFormat output = OutputFormat::kText;
  std::optional<int> fail_next_after;  ///< answer the (N+1)-th GET /next with HTTP 500
};

/// The outcome of parsing: options, or a message for stderr plus whether it
/// was --help (exit 0) rather than a usage error (exit 64).
struct ParsedOptions {
  std::optional<Options> options;
  std::string message;
  bool help = false;
};

/// Parses argv. Reads $AWS_REGION for the default region and the --env-file
/// files; never throws for bad input (returns a message instead).
ParsedOptions parse_options(int argc, char** argv);

/// The --help text.
std::string usage();

}  // namespace runtime::emulator
