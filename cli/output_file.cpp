// Atomic output files and the signal handling that removes their
// temporaries (see output_file.hpp).
#include "cli/output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "analysis/safe_output.hpp"

namespace relsim::cli {

namespace {

int g_pipe[2] = {-1, -1};
std::atomic<bool> g_graceful{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
  errno = saved;
}

[[noreturn]] void exit_on(int sig) {
  analysis::remove_temporaries();
  const char* text = sig == SIGINT    ? "relsim: interrupted (SIGINT); no output written\n"
                     : sig == SIGTERM ? "relsim: terminated (SIGTERM); no output written\n"
                                      : "relsim: stopped by a signal; no output written\n";
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, text, std::strlen(text));
  ::_exit(128 + sig);
}

void watch() {
  for (;;) {
    unsigned char byte = 0;
    const ssize_t n = ::read(g_pipe[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    const int sig = byte;
    int none = 0;
    if (g_graceful.load() && g_signal.compare_exchange_strong(none, sig)) continue;
    exit_on(sig);
  }
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view text) {
  analysis::AtomicFile file(path);
  file.write(text);
  file.commit();
}

void install_signal_handlers() {
  static bool installed = false;
  if (installed) return;
  if (::pipe2(g_pipe, O_CLOEXEC) != 0) return;  // no handler: signals act as usual
  installed = true;
  std::thread(watch).detach();
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void set_graceful_interrupts(bool on) { g_graceful.store(on); }

int interrupt_signal() { return g_signal.load(); }

void clear_interrupt() { g_signal.store(0); }

}  // namespace relsim::cli
