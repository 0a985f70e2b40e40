// reminders: its configuration and handler, which also writes one EMF line per blocked reason;
// the scaffold does the rest (docs/functions.md).
#include "functions/reminders/handler.hpp"
#include "scaffold/function.hpp"

int main(int argc, char** argv) {
  return scaffold::serve(argc, argv, "reminders", [](scaffold::Start& start) {
    return scaffold::handler<reminders::Handler>(
        reminders::config_from_environment(start.env()),
        reminders::Services{start.services(), start.out()});
  });
}
