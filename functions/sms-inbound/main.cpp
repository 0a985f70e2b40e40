// sms-inbound: its configuration and handler, plus an HTTP client for BACKEND_URL when one is set;
// the scaffold does the rest (docs/functions.md).
#include <chrono>
#include <utility>

#include "functions/sms-inbound/handler.hpp"
#include "scaffold/function.hpp"

int main(int argc, char** argv) {
  return scaffold::serve(argc, argv, "sms-inbound", [](scaffold::Start& start) {
    auto config = sms_inbound::config_from_environment(start.env());
    sms_inbound::Services services = start.services();
    if (!config.backend_url.empty()) services.backend = &start.http(std::chrono::seconds(2));
    return scaffold::handler<sms_inbound::Handler>(std::move(config), services);
  });
}
