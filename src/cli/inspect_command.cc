// floe inspect FILE [--format json|text]: prints a table metadata JSON file,
// a manifest list or a manifest, detected from its content.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/inspect_render.h"
#include "floe/avro/container_reader.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/spec/json.h"

namespace floe::cli {

namespace {

Result<std::string> ReadLocalFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path, ": cannot open the file (does it exist and is it readable?)");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path, ": read failed");
  return std::move(ss).str();
}

enum class FileKind { kMetadata, kManifestList, kManifest };

Result<FileKind> Detect(const std::string& path, const std::string& bytes) {
  size_t i = bytes.find_first_not_of(" \t\r\n");
  if (i != std::string::npos && bytes[i] == '{') return FileKind::kMetadata;
  if (bytes.rfind(avro::kContainerMagic, 0) == 0) {
    FLOE_ASSIGN_OR_RAISE(auto reader, avro::ContainerReader::Open(path, bytes));
    const avro::Node& root = reader.schema().root();
    // Decide by field ids: 500 (manifest_path) marks a manifest list, 0/2
    // (status, data_file) a manifest; record names vary between writers.
    for (const avro::Field& f : root.fields) {
      if (f.field_id == 500 || f.name == "manifest_path") return FileKind::kManifestList;
      if (f.field_id == 2 || f.name == "data_file") return FileKind::kManifest;
    }
    return Status::Invalid(path, ": an Avro file, but neither a manifest nor a manifest list");
  }
  return Status::Invalid(path, ": not a table metadata JSON file, manifest list or manifest "
                               "(expected JSON or an Avro object container file)");
}

Status Inspect(const std::string& path, const std::string& format) {
  FLOE_ASSIGN_OR_RAISE(std::string bytes, ReadLocalFile(path));
  FLOE_ASSIGN_OR_RAISE(FileKind kind, Detect(path, bytes));
  bool json = format == "json";
  switch (kind) {
    case FileKind::kMetadata: {
      auto md = spec::TableMetadataFromJson(bytes);
      if (!md.ok()) return md.status().WithContext(path);
      std::cout << (json ? MetadataJson(path, *md) : MetadataText(path, *md));
      break;
    }
    case FileKind::kManifestList: {
      FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(path, bytes));
      std::cout << (json ? ManifestListJson(path, list) : ManifestListText(path, list));
      break;
    }
    case FileKind::kManifest: {
      FLOE_ASSIGN_OR_RAISE(auto m, manifest::ReadManifest(path, bytes));
      std::cout << (json ? ManifestJson(path, m) : ManifestText(path, m));
      break;
    }
  }
  std::cout.flush();
  return Status::OK();
}

}  // namespace

void AddInspectCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "inspect", "Print a table metadata JSON file, a manifest list or a manifest");
  auto path = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  cmd->add_option("FILE", *path, "Local path of the file")->required();
  cmd->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([path, format, exit_code] {
    Status st = Inspect(*path, *format);
    if (!st.ok()) {
      std::cerr << "floe inspect: " << st.ToString() << "\n";
      *exit_code = 1;
    }
  });
}

}  // namespace floe::cli
