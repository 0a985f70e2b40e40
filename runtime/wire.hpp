// Wire-format pieces of the Runtime API that the loop builds by hand (no JSON
// library in the bootstrap's hot path). Public so unit tests can pin them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace runtime {

/// An error as reported to the Runtime API: errorType and errorMessage.
struct ErrorReport {
  std::string type;
  std::string message;
};

/// `text` as a JSON string literal, quotes included. Control characters are
/// escaped; bytes that are not valid UTF-8 become U+FFFD so the document stays
/// valid whatever an exception message contains.
std::string json_quote(std::string_view text);

/// The Runtime API error document:
/// {"errorMessage":<message>,"errorType":<type>,"stackTrace":[]}.
std::string error_document(const ErrorReport& error);

/// Describes the exception being handled. Call only inside a catch block.
/// type: FunctionError::type(); else the demangled class of a std::exception
/// ("std::runtime_error"); else "Runtime.Unknown". message: what(), or a
/// note naming the thrown type for non-std exceptions.
ErrorReport describe_current_exception();

/// Parses Lambda-Runtime-Deadline-Ms (decimal epoch milliseconds, UTC). Returns nullopt
/// (no deadline) unless the value is 1 to 15 digits and nothing else, naming an instant
/// system_clock can hold: at most 9223372036854 ms (2262-04-11) with libstdc++'s nanoseconds.
std::optional<std::chrono::system_clock::time_point> parse_deadline_ms(std::string_view value);

}  // namespace runtime
