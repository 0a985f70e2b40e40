#include "runtime/emulator/options.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace runtime::emulator {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "KEY=VALUE" -> pair; nullopt when there is no '=' or the key is empty.
std::optional<std::pair<std::string, std::string>> split_assignment(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  return std::pair{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

// Appends the env file's entries; returns an error message or "".
std::string read_env_file(const std::string& path,
                          std::vector<std::pair<std::string, std::string>>& out) {
  std::ifstream in(path);
  if (!in) return "cannot read --env-file " + path;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    auto entry = split_assignment(text);
    if (!entry) return path + ":" + std::to_string(number) + ": expected KEY=VALUE";
    out.push_back(std::move(*entry));
  }
  return {};
}

ParsedOptions fail(std::string message) {
  return ParsedOptions{std::nullopt, std::move(message) + "\n(see lambda-emulator --help)", false};
}

}  // namespace

std::string usage() {
  return R"(usage: lambda-emulator [options] <bootstrap> [event-file ...]

Serves the Lambda Runtime API on 127.0.0.1 (ephemeral port), starts <bootstrap>
with AWS_LAMBDA_RUNTIME_API pointing at it, hands it the events one after
another (the first one a cold start, the rest to the same warm process) and
prints each result on stdout. The bootstrap's own stdout/stderr and the
emulator's START/END/REPORT lines go to stderr.

Events: each event-file holds one JSON event. With no event file, or "-",
events come from stdin: either one JSON value (may span lines) or JSON Lines
(one JSON value per line, blank lines skipped). The literal text {{now}} in an
event is replaced, at hand-over, by the current UTC time in RFC 3339 with
milliseconds (e.g. 2026-11-21T10:00:00.123Z), so samples carry a fresh time.

Options:
  --function-name NAME   default: the bootstrap's parent directory name
  --region REGION        default: $AWS_REGION or us-east-1
  --timeout SECONDS      invocation deadline (default 30; fractions allowed). An
                         invocation not answered in time is reported as a
                         timeout ("Task timed out after N seconds"); the process
                         is killed and restarted (cold) for the next event.
                         Init (start to the first GET /next) may take up to 10 s.
  --memory MB            AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default 128)
  --env KEY=VALUE        extra environment for the function (repeatable)
  --env-file FILE        KEY=VALUE lines (# comments, blank lines ok), applied
                         before --env
  --chroot DIR           run the bootstrap chrooted into DIR (<bootstrap> is then
                         a path inside DIR); needs root
  --trace-id ID          fixed Lambda-Runtime-Trace-Id (default: a fresh X-Ray
                         style id per invocation)
  --client-context JSON  Lambda-Runtime-Client-Context for every invocation
  --output text|json     text (default): success -> the response body; failure ->
                         "ERROR <type>: <message>". json: one object per line:
                         {"request_id","status":"success|error|timeout|crash|
                          init_error|runtime_exit","cold_start","duration_ms",
                          "init_duration_ms"(cold starts),"response"(parsed JSON
                          if valid, else a string),"error":{"errorType",
                          "errorMessage","header_error_type"},"exit_code"|"signal"
                          (crash, runtime_exit),"exited"(runtime_exit)}
  --fail-next-after N    test hook: answer the (N+1)-th GET /next (once an event
                         is waiting for it) with HTTP 500, then report status
                         "runtime_exit": whether the bootstrap exited by itself
                         within 2 s, and its exit code
  -h, --help             this text

The function gets Lambda's environment, not the caller's: AWS_LAMBDA_* names,
AWS_REGION, AWS_DEFAULT_REGION, AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT,
LAMBDA_RUNTIME_DIR, TZ=:UTC, LANG, PATH; AWS credentials from the caller if set
(else local dummies); SSL_CERT_FILE, AWS_CA_BUNDLE, AWS_ENDPOINT_URL*,
AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS if
the caller set them; then --env-file, --env.

Exit status: 0 every invocation succeeded, 1 some failed, 2 init error (the
remaining events are not run), 64 usage error or unreadable/invalid event.
)";
}

ParsedOptions parse_options(int argc, char** argv) {
  Options options;
  std::vector<std::pair<std::string, std::string>> env_file_entries;
  std::vector<std::pair<std::string, std::string>> env_entries;
  std::vector<std::string> positional;
  bool options_ended = false;

  // Options may also follow <bootstrap>; "--" ends them.
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!options_ended && arg == "--") {
      options_ended = true;
      continue;
    }
    if (!options_ended && (arg == "-h" || arg == "--help")) {
      return ParsedOptions{std::nullopt, usage(), true};
    }
    if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
      positional.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::string value;
    bool has_value = false;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const auto take_value = [&]() -> std::optional<std::string> {
      if (has_value) return value;
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    const auto v = take_value();
    if (!v) return fail("option " + name + " needs a value");

    if (name == "--function-name") {
      options.function_name = *v;
    } else if (name == "--region") {
      options.region = *v;
    } else if (name == "--timeout") {
      char* end = nullptr;
      const double seconds = std::strtod(v->c_str(), &end);
      if (end == v->c_str() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 ||
          seconds > 86400) {
        return fail("--timeout expects seconds > 0, got '" + *v + "'");
      }
      options.timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
    } else if (name == "--memory") {
      char* end = nullptr;
      const long mb = std::strtol(v->c_str(), &end, 10);
      if (end == v->c_str() || *end != '\0' || mb < 128 || mb > 10240) {
        return fail("--memory expects MB between 128 and 10240, got '" + *v + "'");
      }
      options.memory_mb = static_cast<int>(mb);
    } else if (name == "--env") {
      auto entry = split_assignment(*v);
      if (!entry) return fail("--env expects KEY=VALUE, got '" + *v + "'");
      env_entries.push_back(std::move(*entry));
    } else if (name == "--env-file") {
      if (auto error = read_env_file(*v, env_file_entries); !error.empty()) return fail(error);
    } else if (name == "--chroot") {
      options.chroot_dir = *v;
    } else if (name == "--trace-id") {
      options.trace_id = *v;
    } else if (name == "--client-context") {
      options.client_context = *v;
    } else if (name == "--output") {
      if (*v == "text") {
        options.output = OutputFormat::kText;
      } else if (*v == "json") {
        options.output = OutputFormat::kJson;
      } else {
        return fail("--output expects text or json, got '" + *v + "'");
      }
    } else if (name == "--fail-next-after") {
      char* end = nullptr;
      const long n = std::strtol(v->c_str(), &end, 10);
      if (end == v->c_str() || *end != '\0' || n < 0 || n > 1'000'000) {
        return fail("--fail-next-after expects a count >= 0, got '" + *v + "'");
      }
      options.fail_next_after = static_cast<int>(n);
    } else {
      return fail("unknown option " + name);
    }
  }

  if (positional.empty()) return fail("missing <bootstrap>");
  options.bootstrap = positional.front();
  options.event_sources.assign(positional.begin() + 1, positional.end());
  if (!options.chroot_dir.empty() && !options.bootstrap.starts_with("/")) {
    return fail("with --chroot, <bootstrap> must be an absolute path inside DIR");
  }
  if (options.function_name.empty()) {
    namespace fs = std::filesystem;
    fs::path path(options.bootstrap);
    if (options.chroot_dir.empty()) path = fs::absolute(path).lexically_normal();
    options.function_name = path.parent_path().filename().string();
    if (options.function_name.empty()) options.function_name = "function";
  }
  if (options.region.empty()) {
    const char* region = std::getenv("AWS_REGION");
    options.region = region != nullptr && *region != '\0' ? region : "us-east-1";
  }
  options.env = std::move(env_file_entries);
  options.env.insert(options.env.end(), env_entries.begin(), env_entries.end());
  return ParsedOptions{std::move(options), {}, false};
}

}  // namespace runtime::emulator
