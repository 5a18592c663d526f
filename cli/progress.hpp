// A progress line on standard error for long runs: trials done of the
// planned count, trials per second, the time left and, with `--until`, the
// current half-width against its target. It appears only when stderr is a
// terminal, not with `--quiet`, and only after the run has taken a second
// (short runs print nothing); it is redrawn at most ten times a second and
// erased when the run ends, so the summary on stdout is unchanged.
//
// Thread-safe: worker threads call `trial_done` after every trial (an atomic
// add and a clock read); the one that finds a redraw due draws, under a
// try-lock, so no worker waits on another.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace relsim::cli {

class Progress {
 public:
  /// `planned`: trials the run will do at most. Shown only when `enabled`
  /// and stderr is a terminal.
  Progress(std::uint64_t planned, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// One more trial finished (any thread).
  void trial_done();
  /// The `--until` note shown after the counts, e.g. `±2.1 % (target 5 %)`.
  void set_note(const std::string& note);
  /// Erases the line (also done by the destructor).
  void finish();

 private:
  void draw();

  std::uint64_t planned_;
  std::atomic<bool> enabled_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> next_draw_ns_;
  std::mutex mutex_;
  std::string note_;
  bool drawn_ = false;
};

}  // namespace relsim::cli
