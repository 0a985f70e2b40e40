// Runs a contestant as the emulator's "bootstrap" and records what the kernel
// accounted to it (wait4 rusage: user and system CPU, peak RSS, page faults,
// context switches) in a JSON file when it ends. The emulator only sees wall
// time; this gets CPU and memory without changing runtime/.
//
// Environment: BENCH_EXEC (the contestant), BENCH_RUSAGE_FILE (where to write).
// SIGTERM/SIGINT are passed on, so the emulator's stop at the end of a run
// ends the contestant and the wrapper then writes its figures.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace {

volatile sig_atomic_t g_child = 0;

void forward(int signal_number) {
  if (g_child > 0) kill(static_cast<pid_t>(g_child), signal_number);
}

long micros(const timeval& t) {
  return t.tv_sec * 1000000L + t.tv_usec;
}

}  // namespace

int main(int, char** argv) {
  const char* target = std::getenv("BENCH_EXEC");
  const char* out_path = std::getenv("BENCH_RUSAGE_FILE");
  if (target == nullptr || out_path == nullptr) {
    std::fprintf(stderr, "bench-rusage: set BENCH_EXEC and BENCH_RUSAGE_FILE\n");
    return 127;
  }
  // Installed before fork so a stop that arrives at once is not lost.
  struct sigaction action {};
  action.sa_handler = forward;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  const pid_t child = fork();
  if (child < 0) return 127;
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // the emulator may SIGKILL us: take the contestant along
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    argv[0] = const_cast<char*>(target);
    execv(target, argv);
    std::perror("bench-rusage: exec");
    _exit(127);
  }
  g_child = child;

  int status = 0;
  rusage usage{};
  while (wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) return 127;
  }
  if (FILE* out = std::fopen(out_path, "w")) {
    std::fprintf(out,
                 "{\"utime_us\":%ld,\"stime_us\":%ld,\"maxrss_kb\":%ld,\"minflt\":%ld,"
                 "\"majflt\":%ld,\"nvcsw\":%ld,\"nivcsw\":%ld,\"exited\":%s,\"code\":%d}\n",
                 micros(usage.ru_utime), micros(usage.ru_stime), usage.ru_maxrss, usage.ru_minflt,
                 usage.ru_majflt, usage.ru_nvcsw, usage.ru_nivcsw,
                 WIFEXITED(status) ? "true" : "false",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    std::fclose(out);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
