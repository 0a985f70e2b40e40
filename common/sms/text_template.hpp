// Message templates with named variables ("{program}: Hi {name}, your order {order} shipped."),
// parsed once when configuration is read and rendered per text. A template names its variables;
// rendering with one missing fails with the variable's name, so no half-filled text is ever sent.
// Used by reminders (REMINDER_TEMPLATE) and, next, notify's configured templates.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace common::sms {

/// A parsed template: literal text and `{name}` placeholders. A name is 1-64 characters of
/// [A-Za-z0-9_]; `{{` and `}}` stand for literal braces. Cheap to copy.
class TextTemplate {
 public:
  /// Parses `text`. Throws std::invalid_argument naming the position and the problem: a `{`
  /// without its `}`, an empty or invalid name, a lone `}`.
  /// Example: TextTemplate("{program}: {{code}} is {code}") has variables {program, code}.
  explicit TextTemplate(std::string_view text);

  /// The placeholder names, sorted, once each.
  const std::set<std::string>& variables() const { return variables_; }

  /// The text with every placeholder replaced by its value in `values` (extra values are
  /// ignored). Throws MissingVariable naming the first placeholder without a value.
  std::string render(const std::map<std::string, std::string>& values) const;

  /// Thrown by render(): `name()` is the placeholder that has no value.
  class MissingVariable : public std::runtime_error {
   public:
    explicit MissingVariable(std::string name)
        : std::runtime_error("no value for template variable '" + name + "'"),
          name_(std::move(name)) {}
    const std::string& name() const { return name_; }

   private:
    std::string name_;
  };

 private:
  struct Part {
    bool placeholder = false;
    std::string text;  ///< the literal text, or the placeholder's name
  };
  std::vector<Part> parts_;
  std::set<std::string> variables_;
};

}  // namespace common::sms
