// The per-trial figures of a comparison as a results file (see figure_table.hpp).
#include "analysis/figure_table.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <type_traits>

#include "analysis/hdf5_support.hpp"
#include "analysis/safe_output.hpp"
#include "analysis/text_format.hpp"
#include "models/json_node.hpp"

namespace relsim::analysis {

namespace {

models::JsonNode meta_node(const FigureTableMeta& m) {
  models::JsonNode node;
  for_each_figure_meta_field(
      m, [&](const char*, const char* key, const auto& value) { node.set(key, value); });
  return node;
}

std::string json_text(const FigureTableMeta& m, const std::vector<FigureColumn>& columns) {
  models::JsonNode::Array cols;
  for (const FigureColumn& c : columns) {
    models::JsonNode node;
    node.set("run", c.run);
    node.set("subject", c.subject);
    node.set("figure", c.figure);
    node.set("unit", c.unit);
    models::JsonNode::Array values;
    for (const double v : *c.values) values.emplace_back(v);  // NaN is written as null
    node.set("values", std::move(values));
    cols.push_back(std::move(node));
  }
  models::JsonNode root;
  root.set("meta", meta_node(m));
  root.set("columns", std::move(cols));
  return root.text();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write '" + path.string() + "'");
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write '" + path.string() + "'");
}

void write_csv(const std::string& dir, const FigureTableMeta& m,
               const std::vector<FigureColumn>& columns, std::size_t rows) {
  namespace fs = std::filesystem;
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive)
  // on `"literal" + std::string` here.
  std::string index = "column,run,subject,figure,unit\n";
  std::string table = "trial";
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const FigureColumn& c = columns[k];
    const std::string name = std::string("c").append(std::to_string(k));
    index.append(name).append(",").append(csv_field(c.run)).append(",");
    index.append(csv_field(c.subject)).append(",").append(csv_field(c.figure)).append(",");
    index.append(c.unit).append("\n");
    table.append(",").append(name);
  }
  table.append("\n");
  for (std::size_t i = 0; i < rows; ++i) {
    table.append(std::to_string(m.first_trial + i));
    for (const FigureColumn& c : columns) table.append(",").append(csv_number((*c.values)[i]));
    table.append("\n");
  }
  write_text(fs::path(dir) / "columns.csv", index);
  write_text(fs::path(dir) / "figures.csv", table);
  write_text(fs::path(dir) / "meta.json", meta_node(m).text());
}

void write_hdf5(const std::string& path, const FigureTableMeta& m,
                const std::vector<FigureColumn>& columns, std::size_t rows) {
  H5::Exception::dontPrint();
  try {
    H5::H5File file(path, H5F_ACC_TRUNC);
    H5::Group g = file.createGroup("figures");
    for_each_figure_meta_field(m, [&](const char* name, const char*, const auto& value) {
      using T = std::decay_t<decltype(value)>;
      if constexpr (std::is_same_v<T, std::string>) {
        h5::write_string(g, name, value);
      } else if constexpr (std::is_same_v<T, double>) {
        h5::write_f64(g, name, value);
      } else {
        h5::write_u64(g, name, value);
      }
    });
    std::vector<std::string> runs, subjects, figures, units;
    for (const FigureColumn& c : columns) {
      runs.push_back(c.run);
      subjects.push_back(c.subject);
      figures.push_back(c.figure);
      units.push_back(c.unit);
    }
    h5::write_string_dataset(g, "runs", runs);
    h5::write_string_dataset(g, "subjects", subjects);
    h5::write_string_dataset(g, "figures", figures);
    h5::write_string_dataset(g, "units", units);
    std::vector<double> values(rows * columns.size());
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t k = 0; k < columns.size(); ++k) {
        values[i * columns.size() + k] = (*columns[k].values)[i];
      }
    }
    const hsize_t dims[2] = {rows, columns.size()};
    H5::DataSpace space(2, dims);
    H5::DataSet d = g.createDataSet("values", H5::PredType::NATIVE_DOUBLE, space);
    if (!values.empty()) d.write(values.data(), H5::PredType::NATIVE_DOUBLE);
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot write '" + path + "': " + e.getDetailMsg());
  }
}

}  // namespace

void write_figure_table(const ExportTarget& target, const FigureTableMeta& meta,
                        const std::vector<FigureColumn>& columns) {
  const std::size_t rows = columns.empty() ? 0 : columns.front().values->size();
  for (const FigureColumn& c : columns) {
    if (c.values->size() != rows) {
      throw std::invalid_argument("write_figure_table: columns of different lengths");
    }
  }
  const bool csv = target.format == ExportFormat::csv;
  AtomicFile out(target.path, csv ? OutputKind::directory : OutputKind::file);
  switch (target.format) {
    case ExportFormat::json:
      out.write(json_text(meta, columns));
      break;
    case ExportFormat::csv:
      write_csv(out.temp_path(), meta, columns, rows);
      break;
    case ExportFormat::hdf5:
      write_hdf5(out.temp_path(), meta, columns, rows);
      break;
  }
  out.commit();
}

}  // namespace relsim::analysis
