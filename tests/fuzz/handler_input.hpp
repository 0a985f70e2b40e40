// The input of the whole-handler targets: an event, then the answers the AWS stand-in gives, in
// order, each after a line "%%":  <event>\n%%\n<answer 1>\n%%\n<answer 2>...  (an answer is
// "[@<Operation> ]<status>[ <X-Amzn-Errortype>]\n<body>", see loopback.hpp parse_answer). When they
// are spent, every request gets plausible_answer().
#pragma once

#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/loopback.hpp"

namespace smsc_fuzz {

/// The line that separates the event from the answers, and the answers from each other.
inline constexpr std::string_view kAnswerSeparator = "\n%%\n";

/// An event and the scripted answers.
struct HandlerInput {
  std::string_view event;
  std::vector<Answer> answers;
};

/// Splits a whole-handler input (at most 16 answers are read: a handler makes fewer requests).
inline HandlerInput handler_input(std::string_view input) {
  const auto parts = split(input, kAnswerSeparator);
  HandlerInput out{parts[0], {}};
  for (std::size_t i = 1; i < parts.size() && i <= 16; ++i)
    out.answers.push_back(parse_answer(parts[i]));
  return out;
}

/// The digits of every `+` and 10-to-15-digit number in `text`. Numbers in a log must never
/// appear whole: the whole-handler targets look for these digit runs in what was logged.
inline std::vector<std::string> e164_digits(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '+') continue;
    std::size_t j = i + 1;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j - i - 1 >= 10 && j - i - 1 <= 15) out.emplace_back(text.substr(i + 1, j - i - 1));
  }
  return out;
}

}  // namespace smsc_fuzz
