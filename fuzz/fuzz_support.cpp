// Helpers shared by the libFuzzer targets (see fuzz_support.hpp).
#include "fuzz/fuzz_support.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace relsim::fuzz {

std::string as_text(const std::uint8_t* data, std::size_t size) {
  return size == 0 ? std::string() : std::string(reinterpret_cast<const char*>(data), size);
}

TempFile::TempFile(const std::string& suffix) {
  const std::string pattern =
      (std::filesystem::temp_directory_path() / "relsim-fuzz-XXXXXX").string() + suffix;
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    std::perror("relsim fuzz: mkstemps");
    std::abort();
  }
  ::close(fd);
  path_ = name.data();
}

TempFile::~TempFile() { std::remove(path_.c_str()); }

void TempFile::write(const std::uint8_t* data, std::size_t size) const {
  std::FILE* f = std::fopen(path_.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror("relsim fuzz: writing the input file");
    std::abort();
  }
}

}  // namespace relsim::fuzz
