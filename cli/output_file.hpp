// Writing a command's output file without ever leaving half of it behind:
// the text goes to `PATH.tmp`, which is then renamed over `PATH` (atomic on
// POSIX within one file system). On failure the temporary file is removed and
// the error names the path and the reason. Reentrant; no shared state.
#pragma once

#include <string>
#include <string_view>

namespace relsim::cli {

/// Writes `text` to `path` via `path.tmp` and a rename; throws std::runtime_error
/// (`cannot write 'PATH': reason`) when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace relsim::cli
