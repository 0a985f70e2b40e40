// Starting, watching and stopping the function's bootstrap process.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime/emulator/runtime_api_server.hpp"

namespace runtime::emulator {

/// How to start the bootstrap.
struct LaunchSpec {
  std::string executable;   ///< absolute path (inside chroot_dir if set)
  std::string chroot_dir;   ///< empty: no chroot
  std::string working_dir;  ///< after chroot: LAMBDA_TASK_ROOT
  std::vector<std::string> environment;  ///< "KEY=VALUE", the whole environment
};

/// Forks and execs the bootstrap: stdin /dev/null, stdout and stderr onto our
/// stderr, killed if the emulator dies. A failed chroot/chdir/exec shows as
/// exit code 127 with a line on stderr. Returns the pid.
/// Throws std::system_error when fork fails.
pid_t launch(const LaunchSpec& spec);

/// Blocks until `pid` ends, without reaping it (so the pid cannot be reused
/// while we may still signal it). Returns how it ended.
ProcessExit wait_for_exit_unreaped(pid_t pid);

/// Reaps an ended child (after wait_for_exit_unreaped returned).
void reap(pid_t pid);

/// "exit status 1" or "signal: killed", the wording Lambda uses for Runtime.ExitError.
std::string describe_exit(const ProcessExit& exit);

}  // namespace runtime::emulator
