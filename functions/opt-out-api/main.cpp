// opt-out-api: its configuration and handler; the scaffold does the rest (docs/functions.md).
#include "functions/opt-out-api/handler.hpp"
#include "scaffold/function.hpp"

int main(int argc, char** argv) {
  return scaffold::serve(argc, argv, "opt-out-api", [](scaffold::Start& start) {
    return scaffold::handler<opt_out_api::Handler>(
        opt_out_api::config_from_environment(start.env()), start.services());
  });
}
