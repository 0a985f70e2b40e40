#include "runtime/emulator/function_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace runtime::emulator {
namespace {

// Only async-signal-safe calls between fork and exec (the emulator has threads).
[[noreturn]] void child_fail(const char* what) {
  char digits[16];
  char* end = digits + sizeof digits;
  char* p = end;
  *--p = '\0';
  for (int e = errno; p == end - 1 || e > 0; e /= 10) *--p = static_cast<char>('0' + e % 10);
  const char* parts[] = {"lambda-emulator: ", what, " failed (errno ", p, ")\n"};
  for (const char* part : parts) {
    ssize_t ignored = write(STDERR_FILENO, part, strlen(part));
    (void)ignored;
  }
  _exit(127);
}

}  // namespace

pid_t launch(const LaunchSpec& spec) {
  std::vector<char*> envp;
  envp.reserve(spec.environment.size() + 1);
  for (const std::string& entry : spec.environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  char* argv[] = {const_cast<char*>(spec.executable.c_str()), nullptr};
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid > 0) return pid;

  // The emulator may die without cleaning up (SIGKILL, crash): take the function along.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);  // ignored dispositions survive exec

  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    if (null_fd != STDIN_FILENO) close(null_fd);
  }
  dup2(STDERR_FILENO, STDOUT_FILENO);  // stdout of the emulator carries results only
  syscall(SYS_close_range, 3U, ~0U, 0U);  // the listening socket and friends

  if (!spec.chroot_dir.empty()) {
    if (chroot(spec.chroot_dir.c_str()) != 0) child_fail("chroot");
  }
  if (chdir(spec.working_dir.c_str()) != 0) child_fail("chdir to LAMBDA_TASK_ROOT");
  execve(spec.executable.c_str(), argv, envp.data());
  child_fail("exec bootstrap");
}

ProcessExit wait_for_exit_unreaped(pid_t pid) {
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0) {
    if (errno != EINTR) return ProcessExit{false, -1};
  }
  if (info.si_code == CLD_EXITED) return ProcessExit{false, info.si_status};
  return ProcessExit{true, info.si_status};
}

void reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

std::string describe_exit(const ProcessExit& exit) {
  if (!exit.by_signal) return "exit status " + std::to_string(exit.value);
  std::string name = strsignal(exit.value);
  if (!name.empty()) name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return "signal: " + name;
}

}  // namespace runtime::emulator
