// JSON values for generated files (see json_node.hpp).
#include "models/json_node.hpp"

#include <charconv>
#include <cmath>

namespace relsim::models {

namespace {

void newline(std::string& out, int indent) {
  out += '\n';
  out.append(static_cast<std::size_t>(indent), ' ');
}

template <class T>
void append_number(std::string& out, T v) {
  if (!std::isfinite(v)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const auto continuation = [&](std::size_t k) {
    return at + k < text.size() && (byte(k) & 0xc0) == 0x80;
  };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return continuation(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xe0 && byte(1) < 0xa0) return 0;   // overlong
    if (b0 == 0xed && byte(1) >= 0xa0) return 0;  // UTF-16 surrogates
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xf0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xf4 && byte(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    const std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
      out += "\\ufffd";  // not UTF-8: the replacement character keeps the JSON valid
      ++at;
      continue;
    }
    if (length > 1) {
      out.append(text.substr(at, length));
      at += length;
      continue;
    }
    ++at;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

JsonNode JsonNode::strings(const std::vector<std::string>& items) {
  Array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

JsonNode JsonNode::null() {
  JsonNode n;
  n.value_ = Null{};
  return n;
}

JsonNode JsonNode::optional(const std::optional<double>& v) { return v ? JsonNode(*v) : null(); }

JsonNode JsonNode::sample(double v) {
  JsonNode n(v);
  const auto f = static_cast<float>(v);
  if (std::isfinite(v) && static_cast<double>(f) == v) n.value_ = f;
  return n;
}

JsonNode JsonNode::numbers(const std::vector<double>& items, bool samples) {
  Array a;
  a.reserve(items.size());
  for (const double v : items) a.push_back(samples ? sample(v) : JsonNode(v));
  return a;
}

JsonNode& JsonNode::one_line() {
  one_line_ = true;
  return *this;
}

JsonNode& JsonNode::push(JsonNode value) {
  auto& array = std::get<Array>(value_);
  array.push_back(std::move(value));
  return array.back();
}

std::string JsonNode::text() const {
  std::string out;
  write(out);
  return out + '\n';
}

JsonNode& JsonNode::set(std::string_view key, JsonNode value) {
  auto& object = std::get<Object>(value_);
  for (auto& [k, v] : object) {
    if (k == key) return v = std::move(value);
  }
  object.emplace_back(std::string(key), std::move(value));
  return object.back().second;
}

JsonNode& JsonNode::merge(JsonNode other) {
  for (auto& [k, v] : std::get<Object>(other.value_)) set(k, std::move(v));
  return *this;
}

bool JsonNode::is_scalar() const {
  return !std::holds_alternative<Array>(value_) && !std::holds_alternative<Object>(value_);
}

void JsonNode::write(std::string& out, int indent) const { write_value(out, indent, false); }

void JsonNode::write_value(std::string& out, int indent, bool one_line) const {
  one_line = one_line || one_line_;
  if (std::holds_alternative<Null>(value_)) {
    out += "null";
  } else if (const auto* b = std::get_if<bool>(&value_)) {
    out += *b ? "true" : "false";
  } else if (const auto* i = std::get_if<std::int64_t>(&value_)) {
    out += std::to_string(*i);
  } else if (const auto* u = std::get_if<std::uint64_t>(&value_)) {
    out += std::to_string(*u);
  } else if (const auto* d = std::get_if<double>(&value_)) {
    append_number(out, *d);
  } else if (const auto* f = std::get_if<float>(&value_)) {
    append_number(out, *f);
  } else if (const auto* s = std::get_if<std::string>(&value_)) {
    out += json_quote(*s);
  } else if (const auto* a = std::get_if<Array>(&value_)) {
    bool flat = one_line;  // arrays of scalars (`required`, `enum`) stay on one line
    if (!flat) {
      flat = true;
      for (const JsonNode& item : *a) flat = flat && item.is_scalar();
    }
    out += '[';
    for (std::size_t k = 0; k < a->size(); ++k) {
      if (k > 0) out += flat ? ", " : ",";
      if (!flat) newline(out, indent + 2);
      (*a)[k].write_value(out, indent + 2, one_line);
    }
    if (!flat && !a->empty()) newline(out, indent);
    out += ']';
  } else {
    const auto& o = std::get<Object>(value_);
    out += '{';
    for (std::size_t k = 0; k < o.size(); ++k) {
      if (k > 0) out += one_line ? ", " : ",";
      if (!one_line) newline(out, indent + 2);
      out += json_quote(o[k].first);
      out += ": ";
      o[k].second.write_value(out, indent + 2, one_line);
    }
    if (!one_line && !o.empty()) newline(out, indent);
    out += '}';
  }
}

}  // namespace relsim::models
