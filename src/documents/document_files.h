#ifndef NUMBERDESK_DOCUMENTS_DOCUMENT_FILES_H_
#define NUMBERDESK_DOCUMENTS_DOCUMENT_FILES_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace numberdesk {

// WriteFileAtomically writes `bytes` to `path` so that a crash leaves either
// the old file or the whole new one: a temporary file beside it, synced, then
// renamed over it and the folder synced. Throws std::runtime_error on I/O
// failure.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// DocumentFiles keeps the bytes of uploaded documents as files under one
// folder, one file per document id. Metadata lives in the database.
//
// Write is durable when it returns: the file and its folder entry are synced.
// Callers write files before committing the metadata that names them, and
// Remove the files again if that commit fails, so the database never points
// at a missing file. Thread-safe: distinct ids never share a file.
class DocumentFiles {
 public:
  explicit DocumentFiles(std::filesystem::path root);

  // Write stores `bytes` as document `id` and returns the path relative to
  // the root, for the metadata. Throws std::runtime_error on I/O failure.
  std::string Write(std::string_view id, std::string_view bytes);

  // Read returns the bytes at `relative_path`, or nothing if the file is gone.
  std::optional<std::string> Read(std::string_view relative_path) const;

  // Remove deletes the file at `relative_path`, if any. Never throws.
  void Remove(std::string_view relative_path) noexcept;

 private:
  std::filesystem::path root_;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_DOCUMENTS_DOCUMENT_FILES_H_
