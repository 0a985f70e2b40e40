#include "functions/deadline-monitor/handler.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "common/compliance/business_days.hpp"
#include "common/compliance/phone.hpp"
#include "common/consent/honor.hpp"
#include "common/consent/store.hpp"

namespace deadline_monitor {
namespace {

using json = nlohmann::json;

}  // namespace

Config config_from_environment(const common::aws::Environment& env) {
  common::aws::SettingsReader settings(env);
  Config c;
  scaffold::read_settings(settings, kUses, "deadline-monitor", c);
  // DynamoDB's Query Limit is at most what one page can hold; 1000 keeps pages small.
  c.page_size = static_cast<int>(settings.number("PAGE_SIZE", 100, 1, 1000));
  c.time_reserve =
      std::chrono::milliseconds(static_cast<long long>(settings.number("TIME_RESERVE_MS", 3000, 0, 600000)));
  settings.check("deadline-monitor");
  return c;
}

RunSummary Handler::run(common::TimePoint now, std::chrono::system_clock::time_point stop_at) {
  common::consent::ConsentStore store(services_.dynamodb,
                                      {config_.contacts_table, config_.message_log_table});
  RunSummary s;
  auto out_of_time = [&] { return std::chrono::system_clock::now() >= stop_at; };
  common::aws::AttributeMap start;
  for (;;) {
    if (out_of_time()) return s;
    auto page = store.pending_opt_outs(config_.page_size, start);
    ++s.pages;
    for (const auto& contact : page.contacts) {
      if (out_of_time()) return s;
      ++s.scanned;
      const std::string masked = common::compliance::mask_phone_number(contact.phone_number);
      std::vector<std::string> missing;
      std::string error;
      // The index lags the table: re-read strongly, so a contact who opted in again
      // meanwhile is never put back on the list.
      const common::consent::Contact current = store.read(contact.phone_number);
      if (!current.opted_out() || !current.opt_out_pending) {
        ++s.already_honored;
        continue;
      }
      // The index lags the table: the honoured mark's condition re-checks that it is still
      // pending. A number already on the list only needs the mark.
      common::consent::ContactFinished finished;
      if (current.opt_out_list_synced_at.empty()) {
        common::consent::ContactFinish finish;
        finish.phone_number = contact.phone_number;
        finish.require_pending = true;
        auto result =
            common::consent::honor_opt_out(store, services_.sms, config_.opt_out_list_name, finish);
        if (!result.listed) {
          ++s.sync_failures;
          error = result.list_error->code;
          missing.push_back("opt_out_list_sync");
        }
        finished = std::move(result.finished);
      } else {
        common::consent::ContactFinish finish;
        finish.phone_number = contact.phone_number;
        finish.honored_at = common::now_ms();
        finish.require_pending = true;
        finished = store.finish_contact(finish);
      }
      if (missing.empty()) {
        if (finished.honored) {
          // The honour's evidence, late or not, for the audit (GET /opt-outs): one PutItem. The
          // honour itself is done: a failure here is logged and the run goes on (the period
          // report then reads the honour time from the contact).
          if (auto ev = common::consent::honored_event(finished.contact, "deadline-monitor")) {
            try {
              store.put_consent_event(*ev);
            } catch (const std::exception& e) {
              services_.logger.error("opt-out honoured; its evidence was not logged",
                                     {{"phone", masked}, {"error", e.what()}});
            }
          }
          ++s.honored;
        } else {
          ++s.already_honored;
        }
        continue;
      }
      ++s.pending;
      const auto deadline = common::parse_rfc3339(contact.opt_out_deadline);
      int days_left = 0;
      bool overdue = true;  // an unreadable deadline is treated as passed (fail closed)
      if (deadline) {
        days_left = common::compliance::business_days_left(now, *deadline);
        overdue = *deadline <= now;
      }
      const bool due_soon = !overdue && days_left <= kDueSoonBusinessDays;
      if (overdue) ++s.overdue;
      if (due_soon) ++s.due_soon;
      json fields = {{"phone", masked},
                     {"deadline", contact.opt_out_deadline},
                     {"business_days_left", days_left},
                     {"missing", missing},
                     {"error", error},
                     {"opted_out_at", contact.opted_out_at},
                     {"channel", contact.opt_out_channel}};
      if (overdue || due_soon) {
        fields["alert"] = overdue ? "OptOutOverdue" : "OptOutDueSoon";
        services_.logger.error("opt-out at risk of missing its deadline", fields);
      } else {
        services_.logger.warn("opt-out not yet honoured; will retry", fields);
      }
    }
    if (page.next.empty()) {
      s.complete = true;
      return s;
    }
    start = std::move(page.next);
  }
}

std::string Handler::handle(const scaffold::Invocation& invocation) {
  const auto stop_at = invocation.deadline == std::chrono::system_clock::time_point::max()
                           ? invocation.deadline
                           : invocation.deadline - config_.time_reserve;
  RunSummary s;
  try {
    s = run(common::now_ms(), stop_at);
  } catch (...) {
    services_.metrics.flush();
    throw;
  }
  services_.metrics.add("OptOutsPending", s.pending);
  services_.metrics.add("OptOutsDueSoon", s.due_soon);
  services_.metrics.add("OptOutsOverdue", s.overdue);
  services_.metrics.add("OptOutSyncFailures", s.sync_failures);
  services_.metrics.add("OptOutsHonored", s.honored);
  services_.metrics.set_property("complete", s.complete);
  services_.metrics.flush();
  json summary = {{"scanned", s.scanned},         {"honored", s.honored},
                  {"already_honored", s.already_honored},
                  {"sync_failures", s.sync_failures}, {"pending", s.pending},
                  {"due_soon", s.due_soon},       {"overdue", s.overdue},
                  {"pages", s.pages},             {"complete", s.complete}};
  (s.complete ? services_.logger.info("deadline monitor run", summary)
              : services_.logger.warn("deadline monitor run stopped early; the next run resumes",
                                      summary));
  return summary.dump();
}

}  // namespace deadline_monitor
