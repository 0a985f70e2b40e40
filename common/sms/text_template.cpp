#include "common/sms/text_template.hpp"

namespace common::sms {
namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

[[noreturn]] void bad(std::size_t at, const std::string& what) {
  throw std::invalid_argument("template: " + what + " at character " + std::to_string(at + 1));
}

}  // namespace

TextTemplate::TextTemplate(std::string_view text) {
  std::string literal;
  const auto flush = [&] {
    if (!literal.empty()) parts_.push_back({false, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal += '}';
      ++i;
    } else if (c == '}') {
      bad(i, "'}' without '{' (write '}}' for a brace)");
    } else if (c == '{') {
      const auto close = text.find('}', i + 1);
      if (close == std::string_view::npos) bad(i, "'{' without '}' (write '{{' for a brace)");
      const std::string_view name = text.substr(i + 1, close - i - 1);
      if (name.empty() || name.size() > 64) bad(i, "a variable name of 1-64 characters expected");
      for (char n : name) {
        if (!name_char(n)) bad(i, "variable names are letters, digits and '_'");
      }
      flush();
      parts_.push_back({true, std::string(name)});
      variables_.insert(std::string(name));
      i = close;
    } else {
      literal += c;
    }
  }
  flush();
}

std::string TextTemplate::render(const std::map<std::string, std::string>& values) const {
  std::string out;
  for (const Part& part : parts_) {
    if (!part.placeholder) {
      out += part.text;
      continue;
    }
    const auto it = values.find(part.text);
    if (it == values.end()) throw MissingVariable(part.text);
    out += it->second;
  }
  return out;
}

}  // namespace common::sms
