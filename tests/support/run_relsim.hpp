// Running the relsim program (or any shell command) from a test, as a user
// would: the exit code and everything it printed, stderr merged into stdout.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace relsim::test {

/// Built with AddressSanitizer (the asan preset; gcc defines
/// __SANITIZE_ADDRESS__, clang answers __has_feature): the program runs
/// several times slower, so a test that only needs a run to last a while
/// asks for fewer trials there.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

struct Outcome {
  int code;         // the exit code; -1 when the command did not exit normally
  std::string out;  // stdout and stderr
};

/// Runs `command` through the shell with stderr merged into stdout.
inline Outcome shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

#ifdef RELSIM_BINARY
/// Runs `relsim <args>`.
inline Outcome relsim(const std::string& args) {
  return shell(std::string(RELSIM_BINARY) + " " + args);
}
#endif

}  // namespace relsim::test
