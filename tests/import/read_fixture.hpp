// Test support for the import readers: a fixture file read the way the
// importer reads it (every YAML/JSON document of the file), handed to one
// reader, and the notes found by their text.
#pragma once

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "analysis/import/import_reader.hpp"

namespace relsim::analysis::import::testing {

inline std::string fixture(const std::string& name) {
  return std::string(RELSIM_SOURCE_DIR) + "/tests/import/fixtures/" + name;
}

/// Every document of `text` (given the name `file`) through `reader`.
template <class Reader>
ImportModel read_text(const std::string& text, const std::string& file, Reader reader) {
  ImportModel out;
  const auto docs = YAML::LoadAll(text);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].IsNull()) continue;
    reader(SourceDocument{file, static_cast<int>(i), docs[i]}, out);
  }
  return out;
}

/// Every document of the fixture `name` through `reader`.
template <class Reader>
ImportModel read_fixture(const std::string& name, Reader reader) {
  ImportModel out;
  const auto docs = YAML::LoadAllFromFile(fixture(name));
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].IsNull()) continue;
    reader(SourceDocument{name, static_cast<int>(i), docs[i]}, out);
  }
  return out;
}

/// "file:line:col field" of an origin (what a message locates).
inline std::string located(const Origin& o) {
  return o.file + ":" + std::to_string(o.line) + ":" + std::to_string(o.column) + " " + o.field;
}

/// The first note whose text contains `part`, or nullptr.
inline const ImportNote* find_note(const ImportModel& m, const std::string& part) {
  for (const auto& n : m.notes) {
    if (n.text.find(part) != std::string::npos) return &n;
  }
  return nullptr;
}

template <class T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  for (const auto& i : items) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

}  // namespace relsim::analysis::import::testing
