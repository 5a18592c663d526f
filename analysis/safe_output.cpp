// Atomic, exclusive output files (see safe_output.hpp).
#include "analysis/safe_output.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc 2.28)
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

namespace relsim::analysis {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTempMark = ".relsim-tmp.";
constexpr const char* kLockSuffix = ".relsim-lock";
constexpr std::size_t kMaxNameInTemp = 200;  // keeps `.NAME.relsim-tmp.XXXXXX` under NAME_MAX

[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
  throw std::runtime_error("cannot write '" + path + "': " + why);
}

/// `path` without a trailing '/' (a CSV directory may be given as `out/`).
std::string strip_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

fs::path folder_of(const fs::path& p) {
  return p.parent_path().empty() ? fs::path(".") : p.parent_path();
}

/// What makes two paths the same file: the inode when it exists, and the
/// absolute path with every link resolved.
struct Identity {
  std::string path;  // as given
  fs::path canonical;
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
};

Identity identity_of(const std::string& path) {
  Identity id;
  id.path = path;
  std::error_code ec;
  id.canonical = fs::weakly_canonical(fs::absolute(strip_slash(path), ec), ec);
  if (ec) id.canonical = fs::absolute(strip_slash(path), ec).lexically_normal();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
  }
  return id;
}

bool same_file(const Identity& a, const Identity& b) {
  if (a.exists && b.exists && a.dev == b.dev && a.ino == b.ino) return true;
  return a.canonical == b.canonical;
}

/// True when `inner` lies inside the folder `outer`.
bool is_under(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return i != inner.end();
}

struct Lock {
  std::string path;
  int fd = -1;
};

/// The process-wide registries. Never destroyed: the signal watcher may use
/// them while static destructors run.
struct Registry {
  std::mutex mutex;
  std::vector<Identity> inputs;
  std::vector<std::pair<Identity, OutputKind>> outputs;
  std::map<std::string, Lock> locks;  // by canonical target
  std::set<std::string> temporaries;
  bool at_exit = false;
  bool locking = true;
};

Registry& registry() {
  static Registry* r = new Registry;  // NOLINT: deliberately leaked (see above)
  return *r;
}

void release_locks_locked(Registry& r) noexcept {
  for (auto& [target, lock] : r.locks) {
    // Unlink before unlocking: a waiter that opened the old file notices the
    // inode changed and retries on a new one.
    ::unlink(lock.path.c_str());
    ::close(lock.fd);
  }
  r.locks.clear();
}

void remove_temporaries_locked(Registry& r) noexcept {
  for (const auto& t : r.temporaries) {
    std::error_code ec;
    fs::remove_all(t, ec);
  }
  r.temporaries.clear();
}

extern "C" void release_at_exit() { remove_temporaries(); }

/// The process's umask (read once; nothing else in relsim changes it).
mode_t umask_value() {
  static const mode_t mask = [] {
    const mode_t m = ::umask(0);
    ::umask(m);
    return m;
  }();
  return mask;
}

/// The pid written in a lock file, or "" when it cannot be read.
std::string lock_owner(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string s(buf, static_cast<std::size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void acquire_lock(Registry& r, const std::string& target, const Identity& id) {
  const std::string key = id.canonical.string();
  if (r.locks.count(key) != 0) return;
  const std::string path = lock_path(target);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
      const int err = errno;
      const fs::path folder = folder_of(fs::path(strip_slash(target)));
      std::error_code ec;
      if (err == ENOENT && !fs::is_directory(folder, ec)) {
        cannot_write(target, "its folder '" + folder.string() + "' does not exist");
      }
      cannot_write(target, "cannot create its lock file '" + path + "': " + std::strerror(err));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const std::string owner = lock_owner(fd);
      ::close(fd);
      if (err == EWOULDBLOCK) {
        cannot_write(target, "another relsim process" +
                                 (owner.empty() ? "" : " (pid " + owner + ")") +
                                 " is writing it (lock '" + path +
                                 "'); wait for it to finish or choose another path");
      }
      cannot_write(target, "cannot lock '" + path + "': " + std::strerror(err));
    }
    struct stat held {
    }, now{};
    if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &now) != 0 || held.st_ino != now.st_ino ||
        held.st_dev != now.st_dev) {
      ::close(fd);  // the holder removed it as we opened it: try the new one
      continue;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
      [[maybe_unused]] const ssize_t w = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    r.locks[key] = Lock{path, fd};
    if (!r.at_exit) {
      std::atexit(release_at_exit);
      r.at_exit = true;
    }
    return;
  }
  cannot_write(target, "its lock file '" + path + "' keeps changing");
}

void fsync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// Where a write to `target` lands: a link is followed to the file it names
/// (renaming over the link would replace the link, not its file).
std::string destination_of(const std::string& target) {
  fs::path p = target;
  std::error_code ec;
  int hops = 0;
  for (; hops < 40 && fs::is_symlink(p, ec); ++hops) {
    if (p.string().rfind("/proc/", 0) == 0) break;  // a descriptor: written in place
    const fs::path link = fs::read_symlink(p, ec);
    if (ec) break;
    p = link.is_absolute() ? link : folder_of(p) / link;
  }
  return hops == 0 ? target : p.lexically_normal().string();
}

/// True when `dest` is written in place rather than replaced: an existing
/// device, FIFO or socket (`-o /dev/null`), or a descriptor of this process
/// reached through /proc (`-o /dev/stdout`).
bool writes_in_place(const std::string& dest) {
  if (dest.rfind("/proc/", 0) == 0) return true;
  struct stat st {};
  return ::stat(dest.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/// Copies the file `from` into the open descriptor `to`.
void copy_into(const std::string& from, int to, const std::string& target) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) cannot_write(target, std::strerror(errno));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(in, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(in);
      cannot_write(target, std::strerror(err));
    }
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(to, buf + done, static_cast<std::size_t>(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(in);
        cannot_write(target, std::strerror(err));
      }
      done += w;
    }
  }
  ::close(in);
}

}  // namespace

bool written_in_place(const std::string& target) {
  return writes_in_place(destination_of(strip_slash(target)));
}

std::string temporary_prefix(const std::string& target) {
  const fs::path t(strip_slash(target));
  std::string name = t.filename().string();
  if (name.size() > kMaxNameInTemp) name.resize(kMaxNameInTemp);
  return (folder_of(t) / ("." + name + kTempMark)).string();
}

std::string lock_path(const std::string& target) {
  const fs::path t(strip_slash(target));
  std::string name = t.filename().string();
  if (name.size() > kMaxNameInTemp) name.resize(kMaxNameInTemp);
  return (folder_of(t) / ("." + name + kLockSuffix)).string();
}

void note_input(const std::string& path) {
  if (path.empty() || path == "-") return;
  Identity id = identity_of(path);
  if (!id.exists) return;
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const auto& [out, kind] : r.outputs) {
    if (same_file(out, id))
      cannot_write(out.path, "it is an input of this command ('" + path + "')");
    if (kind == OutputKind::directory && is_under(id.canonical, out.canonical)) {
      cannot_write(out.path, "it is a folder that holds an input of this command ('" + path + "')");
    }
  }
  for (const auto& in : r.inputs) {
    if (same_file(in, id)) return;
  }
  r.inputs.push_back(std::move(id));
}

namespace {

/// Claims `path`; true when this call claimed it (false: claimed before).
bool claim(const std::string& path, OutputKind kind) {
  if (strip_slash(path).empty()) cannot_write(path, "empty path");
  Identity id = identity_of(path);
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const auto& in : r.inputs) {
    if (same_file(id, in)) cannot_write(path, "it is an input of this command ('" + in.path + "')");
    if (kind == OutputKind::directory && is_under(in.canonical, id.canonical)) {
      cannot_write(path, "it is a folder that holds an input of this command ('" + in.path + "')");
    }
  }
  for (const auto& [out, k] : r.outputs) {
    if (out.canonical == id.canonical) return false;
  }
  const std::string dest = destination_of(path);
  std::error_code ec;
  if (dest.rfind("/proc/", 0) != 0 && fs::is_symlink(dest, ec)) {
    cannot_write(path, "its symbolic links form a loop (or a chain longer than 40)");
  }
  if (r.locking && !writes_in_place(dest)) acquire_lock(r, dest, id);
  r.outputs.emplace_back(std::move(id), kind);
  return true;
}

/// Gives up a claim that claim() made (the lock too).
void release(const std::string& path) noexcept {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(strip_slash(path), ec), ec);
  if (ec) canonical = fs::absolute(strip_slash(path), ec).lexically_normal();
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (const auto it = r.locks.find(canonical.string()); it != r.locks.end()) {
    ::unlink(it->second.path.c_str());
    ::close(it->second.fd);
    r.locks.erase(it);
  }
  std::erase_if(r.outputs, [&](const auto& o) { return o.first.canonical == canonical; });
}

}  // namespace

void claim_output(const std::string& path, OutputKind kind) { claim(path, kind); }

void set_output_locking(bool on) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.locking = on;
}

void remove_temporaries() noexcept {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  remove_temporaries_locked(r);
  release_locks_locked(r);
}

AtomicFile::AtomicFile(std::string target, OutputKind kind)
    : target_(strip_slash(std::move(target))), kind_(kind) {
  dest_ = destination_of(target_);
  in_place_ = writes_in_place(dest_);
  if (in_place_ && kind_ == OutputKind::directory)
    cannot_write(target_, "it is a device, FIFO or socket, not a folder");
  owns_claim_ = claim(dest_, kind_);
  // A claim made here ends with this file; one made before (at the start of
  // the command) holds until the process exits.
  struct Undo {
    AtomicFile& f;
    bool armed = true;
    ~Undo() {
      if (armed && f.owns_claim_) release(f.dest_);
    }
  } undo{*this};
  // A file written in place is assembled in the temporary directory: nothing
  // is ever created beside a device (`/dev/null`) or in /proc.
  std::string name = (in_place_ ? (fs::temp_directory_path() / "relsim-out.relsim-tmp.").string()
                                : temporary_prefix(dest_)) +
                     "XXXXXX";
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (kind_ == OutputKind::file) {
    const int fd = ::mkstemp(name.data());
    if (fd < 0) cannot_write(target_, std::strerror(errno));
    ::fchmod(fd, static_cast<mode_t>(0666 & ~umask_value()));
    ::close(fd);
  } else {
    if (::mkdtemp(name.data()) == nullptr) cannot_write(target_, std::strerror(errno));
    ::chmod(name.c_str(), static_cast<mode_t>(0777 & ~umask_value()));
  }
  temp_ = name;
  r.temporaries.insert(temp_);
  undo.armed = false;
}

AtomicFile::~AtomicFile() {
  discard();
  if (owns_claim_) release(dest_);
}

void AtomicFile::write(std::string_view text) {
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) cannot_write(target_, std::strerror(errno));
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      cannot_write(target_, std::strerror(err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) cannot_write(target_, std::strerror(errno));
}

void AtomicFile::commit() {
  if (done_) return;
  if (in_place_) {
    // A device, FIFO or descriptor cannot be replaced: its bytes are copied
    // into it (a FIFO waits here for its reader).
    const int fd = ::open(dest_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) cannot_write(target_, std::strerror(errno));
    try {
      copy_into(temp_, fd, target_);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    discard();
    return;
  }
  if (kind_ == OutputKind::file) {
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      const int err = errno;
      if (fd >= 0) ::close(fd);
      cannot_write(target_, std::strerror(err));
    }
    ::close(fd);
  } else {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(temp_, ec)) {
      if (e.is_regular_file(ec)) fsync_path(e.path().string(), false);
    }
    fsync_path(temp_, true);
  }
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);  // a signal now waits for the rename
  std::error_code ec;
  if (kind_ == OutputKind::directory && fs::is_directory(dest_, ec)) {
    // rename(2) cannot replace a non-empty directory: exchange the two, then
    // remove the old export (now under the temporary name).
    if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_EXCHANGE) != 0) {
      cannot_write(target_, std::strerror(errno));
    }
    fs::remove_all(temp_, ec);
  } else if (::rename(temp_.c_str(), dest_.c_str()) != 0) {
    cannot_write(target_, std::strerror(errno));
  }
  r.temporaries.erase(temp_);
  done_ = true;
  fsync_path(folder_of(fs::path(dest_)).string(), true);
}

void AtomicFile::discard() noexcept {
  if (done_ || temp_.empty()) return;
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::error_code ec;
  fs::remove_all(temp_, ec);
  r.temporaries.erase(temp_);
  done_ = true;
}

ScratchFile::ScratchFile(const std::string& target) {
  const std::string beside = target.empty() || writes_in_place(destination_of(target))
                                 ? std::string()
                                 : destination_of(target);
  std::string name = beside.empty()
                         ? (fs::temp_directory_path() / "relsim-scratch.relsim-tmp.").string()
                         : temporary_prefix(beside) + "scratch.";
  name += "XXXXXX";
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const int fd = ::mkstemp(name.data());
  if (fd < 0) cannot_write(beside.empty() ? name : beside, std::strerror(errno));
  ::close(fd);
  path_ = name;
  r.temporaries.insert(path_);
}

ScratchFile::~ScratchFile() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::error_code ec;
  fs::remove(path_, ec);
  r.temporaries.erase(path_);
}

ScratchDir::ScratchDir() {
  std::string name = (fs::temp_directory_path() / "relsim-scratch.relsim-tmp.XXXXXX").string();
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (::mkdtemp(name.data()) == nullptr) cannot_write(name, std::strerror(errno));
  path_ = name;
  r.temporaries.insert(path_);
}

ScratchDir::~ScratchDir() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::error_code ec;
  fs::remove_all(path_, ec);
  r.temporaries.erase(path_);
}

}  // namespace relsim::analysis
