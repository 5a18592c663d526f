// The progress line (see progress.hpp).
#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace relsim::cli {

namespace {

constexpr std::int64_t kFirstDrawNs = 1'000'000'000;  // nothing for runs under a second
constexpr std::int64_t kRedrawNs = 100'000'000;

std::string clock_text(double seconds) {
  if (!(seconds >= 0.0) || seconds > 1e7) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

Progress::Progress(std::uint64_t planned, bool enabled)
    : planned_(planned),
      enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      next_draw_ns_(kFirstDrawNs) {}

Progress::~Progress() { finish(); }

void Progress::trial_done() {
  done_.fetch_add(1, std::memory_order_relaxed);
  if (!enabled_) return;
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - start_)
                           .count();
  if (elapsed < next_draw_ns_.load(std::memory_order_relaxed)) return;
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  next_draw_ns_.store(elapsed + kRedrawNs, std::memory_order_relaxed);
  draw();
}

void Progress::set_note(const std::string& note) {
  const std::lock_guard lock(mutex_);
  note_ = note;
}

void Progress::draw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::uint64_t done = done_.load(std::memory_order_relaxed);
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double fraction =
      planned_ > 0 ? static_cast<double>(done) / static_cast<double>(planned_) : 0;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled < kWidth ? filled : kWidth), '#');
  bar.resize(kWidth, '.');
  const double left = rate > 0 ? static_cast<double>(planned_ - done) / rate : -1.0;
  std::fprintf(stderr, "\r\033[K[%s] %llu/%llu trials  %.0f trials/s  ETA %s%s%s", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(planned_),
               rate, clock_text(left).c_str(), note_.empty() ? "" : "  ", note_.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_.exchange(false)) return;
  const std::lock_guard lock(mutex_);
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace relsim::cli
