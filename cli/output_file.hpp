// Writing a command's output files safely (docs/security.md): every file
// goes through analysis::AtomicFile — a unique temporary beside the target
// (`.NAME.relsim-tmp.XXXXXX`), flushed to disk and renamed into place; the
// target claimed (not an input, locked against other relsim processes)
// before any work. And the program's handling of SIGINT and SIGTERM: the
// temporaries are removed and the program exits with 130 (SIGINT) or 143
// (SIGTERM), unless an InterruptGuard (cli/run_support.hpp) asked to stop
// the work at a safe point instead.
#pragma once

#include <string>
#include <string_view>

namespace relsim::cli {

/// Writes `text` to `path` via a unique temporary and a rename; throws
/// std::runtime_error (`cannot write 'PATH': reason`) when it cannot.
void write_file_atomically(const std::string& path, std::string_view text);

/// Installs the SIGINT/SIGTERM handlers (once, at the start of main): a
/// signal is passed through a pipe to a watcher thread, which either sets
/// the interrupt flag (an InterruptGuard is alive: the first signal) or
/// removes every temporary, prints `relsim: interrupted (SIGINT); no output
/// written` and exits with 128 + the signal number.
void install_signal_handlers();

/// While `on`, the first SIGINT/SIGTERM only sets the flag read by
/// `interrupt_signal()`; a second one exits as usual.
void set_graceful_interrupts(bool on);

/// The signal that arrived while graceful interrupts were on (0: none).
int interrupt_signal();

/// Clears the flag (a new InterruptGuard).
void clear_interrupt();

}  // namespace relsim::cli
