// deadline-monitor: its configuration and handler; the scaffold does the rest
// (docs/functions.md).
#include "functions/deadline-monitor/handler.hpp"
#include "scaffold/function.hpp"

int main(int argc, char** argv) {
  return scaffold::serve(argc, argv, "deadline-monitor", [](scaffold::Start& start) {
    return scaffold::handler<deadline_monitor::Handler>(
        deadline_monitor::config_from_environment(start.env()), start.services());
  });
}
