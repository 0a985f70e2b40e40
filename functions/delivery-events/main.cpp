// delivery-events: its configuration and handler, which also writes one EMF line per failure
// status; the scaffold does the rest (docs/functions.md).
#include "functions/delivery-events/handler.hpp"
#include "scaffold/function.hpp"

int main(int argc, char** argv) {
  return scaffold::serve(argc, argv, "delivery-events", [](scaffold::Start& start) {
    return scaffold::handler<delivery_events::Handler>(
        delivery_events::config_from_environment(start.env()),
        delivery_events::Services{start.services(), start.out()});
  });
}
