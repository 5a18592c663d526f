// Output files that are atomic and exclusive (docs/security.md): the one
// mechanism behind every file relsim writes (text, HTML, JSON, HDF5, CSV
// directories).
//
// - A target that is a link is written where the link points. A target that
//   is a device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`) cannot be
//   replaced: the file is assembled in the temporary directory and copied
//   into it at commit, and it is never locked (a device is shared).
// - `AtomicFile` writes beside its target under a unique temporary name
//   (`.NAME.relsim-tmp.XXXXXX`, made by mkstemp/mkdtemp), and `commit`
//   flushes it to disk (fsync) and renames it over the target, so a reader
//   sees the old file or the new one, never half of one. A temporary left
//   by a killed process (SIGKILL) is recognisable by its name, hidden, and
//   read by nothing; it is safe to delete.
// - A target is claimed before any work (`claim_output`): it must not be one
//   of the command's inputs (same inode, or the same path once links are
//   resolved), and the process holds an advisory lock on it
//   (`.NAME.relsim-lock`, flock) until it exits, so two relsim processes
//   writing one path cannot both succeed: the second fails at once, naming
//   the process that holds the path. Locks vanish with their process, even
//   on SIGKILL; a stale lock file is harmless and reused.
// - Inputs (`note_input`) and claimed outputs are compared both ways, so a
//   file read after an output was claimed (a system file a scenario names)
//   is refused too.
// - `remove_temporaries` (called by the program's signal handler) removes
//   every live temporary and lock file of the process.
//
// Process-wide state (the registries) behind one mutex: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace relsim::analysis {

/// What a path is to be: one file, or a directory of files (a CSV export).
enum class OutputKind { file, directory };

/// Records `path` as an input of this command (a file read). Throws
/// std::runtime_error when it is an output already claimed. A path that does
/// not exist is ignored.
void note_input(const std::string& path);

/// Claims `path` as an output: throws std::runtime_error (`cannot write
/// 'PATH': reason`) when it is an input (or, for a directory, holds one) or
/// when another relsim process holds it; else locks it until the process
/// exits. Claiming a path twice is a no-op.
void claim_output(const std::string& path, OutputKind kind = OutputKind::file);

/// Whether claim_output locks (default true). Off for processes that only
/// check their outputs while another process writes them (MPI ranks but 0).
void set_output_locking(bool on);

/// Removes every live temporary and releases every lock of the process
/// (for a signal handler running on an ordinary thread; not async-signal-safe).
void remove_temporaries() noexcept;

/// A file (or directory) being written beside its target.
class AtomicFile {
 public:
  /// Claims `target` (unless claimed before; such a claim is given up with
  /// this object) and creates its empty temporary (file or directory).
  /// Throws std::runtime_error (`cannot write 'TARGET': reason`).
  explicit AtomicFile(std::string target, OutputKind kind = OutputKind::file);
  /// Removes the temporary unless committed.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Where to write: the temporary's path.
  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  /// Writes `text` to the temporary (a file), replacing its content.
  void write(std::string_view text);
  /// fsyncs the temporary (every file of a directory), renames it over the
  /// target (a directory is exchanged atomically) and fsyncs the folder.
  void commit();
  /// Removes the temporary now (noexcept; also done by the destructor).
  void discard() noexcept;

 private:
  std::string target_;  // as given (messages)
  std::string dest_;    // where it lands: target_ with a link followed
  std::string temp_;
  OutputKind kind_;
  bool in_place_ = false;  // dest_ is a device, FIFO or descriptor: copied into at commit
  bool done_ = false;
  bool owns_claim_ = false;  // this file claimed the target (released with it)
};

/// A scratch file beside the output `target` (in the system's temporary
/// directory when `target` is empty or written in place, like /dev/null) with a unique name holding
/// `.relsim-tmp.`, removed on destruction and by remove_temporaries.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& target);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A private scratch directory in the system's temporary directory
/// (`relsim-scratch.relsim-tmp.XXXXXX`, made by mkdtemp: mode 0700, a name
/// no other user can claim first), removed with everything in it on
/// destruction and by remove_temporaries. Throws std::runtime_error.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// True when `target` is written in place rather than replaced: it is (or a
/// link to) an existing device, FIFO or socket, or a descriptor under /proc
/// (`/dev/null`, `/dev/stdout`).
bool written_in_place(const std::string& target);

/// `DIR/.NAME.relsim-tmp.` — the start of every temporary name of `target`
/// (the full name ends in six random characters).
std::string temporary_prefix(const std::string& target);
/// The lock file of `target`: `DIR/.NAME.relsim-lock`.
std::string lock_path(const std::string& target);

}  // namespace relsim::analysis
