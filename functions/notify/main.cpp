// notify: its configuration and handler, which also writes the EMF lines by Category and Reason;
// the scaffold does the rest (docs/functions.md).
#include "functions/notify/handler.hpp"
#include "scaffold/function.hpp"

int main(int argc, char** argv) {
  return scaffold::serve(argc, argv, "notify", [](scaffold::Start& start) {
    return scaffold::handler<notify::Handler>(notify::config_from_environment(start.env()),
                                              notify::Services{start.services(), start.out()});
  });
}
