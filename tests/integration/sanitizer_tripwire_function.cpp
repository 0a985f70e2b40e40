// A bootstrap with deliberate memory and arithmetic bugs, built only in the sanitizer
// build (SMSC_SANITIZE): it proves that a sanitizer report inside a bootstrap run by
// lambda-emulator fails the invocation, and that the caller's ASAN_OPTIONS and
// UBSAN_OPTIONS reach the bootstrap. The event's "action" picks the bug:
// heap_overflow (ASan), signed_overflow (UBSan), leak (LeakSanitizer, at exit), ok.
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>

#include "runtime/runtime.hpp"

namespace {

// Opaque to the optimiser, so the bugs below are not folded away at compile time.
volatile int g_one = 1;
void* volatile g_lost = nullptr;

}  // namespace

int main() {
  return runtime::run([]() -> runtime::Handler {
    return [](const runtime::Invocation& invocation) -> std::string {
      const std::string& event = invocation.payload;
      if (event.find("\"heap_overflow\"") != std::string::npos) {
        auto bytes = std::make_unique<char[]>(8);
        return std::string(1, bytes[7 + g_one]);  // one past the end
      }
      if (event.find("\"signed_overflow\"") != std::string::npos) {
        const int big = std::numeric_limits<int>::max();
        return std::to_string(big + g_one);
      }
      if (event.find("\"leak\"") != std::string::npos) {
        g_lost = std::malloc(64);
        g_lost = nullptr;
        std::exit(0);  // LeakSanitizer checks at exit; the emulator sees the process end
      }
      return "{\"ok\":true}";
    };
  });
}
