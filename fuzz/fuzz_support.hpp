// Helpers shared by the libFuzzer targets (fuzz/*.cpp; docs/fuzzing.md).
// Each target is one process run by libFuzzer on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace relsim::fuzz {

/// The fuzz input as a string (bytes kept as they are, NUL included).
std::string as_text(const std::uint8_t* data, std::size_t size);

/// A file under the system's temporary folder holding the bytes given to
/// `write`, removed by the destructor. One per process is enough: libFuzzer
/// runs inputs one after another.
class TempFile {
 public:
  /// Creates a unique empty file `relsim-fuzz-XXXXXX<suffix>`; aborts when it cannot.
  explicit TempFile(const std::string& suffix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  /// Replaces the file's content with `size` bytes at `data`; aborts on a write error.
  void write(const std::uint8_t* data, std::size_t size) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace relsim::fuzz
