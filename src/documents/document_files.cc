#include "documents/document_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace numberdesk {
namespace {

void ThrowErrno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

void SyncPath(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) ThrowErrno("open " + path.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) ThrowErrno("fsync " + path.string());
}

}  // namespace

void WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path temp_path = path;
  temp_path += ".part";
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) ThrowErrno("create " + temp_path.string());
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      ::close(fd);
      ThrowErrno("write " + temp_path.string());
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    ThrowErrno("fsync " + temp_path.string());
  }
  ::close(fd);

  std::filesystem::rename(temp_path, path);
  SyncPath(path.parent_path().empty() ? "." : path.parent_path(), O_RDONLY | O_DIRECTORY);
}

DocumentFiles::DocumentFiles(std::filesystem::path root) : root_(std::move(root)) {
  std::filesystem::create_directories(root_);
}

std::string DocumentFiles::Write(std::string_view id, std::string_view bytes) {
  // Two characters of fan-out keep folders small; ids are random.
  std::string shard(id.substr(id.size() >= 2 ? id.size() - 2 : 0));
  std::filesystem::create_directories(root_ / shard);
  std::string relative = shard + "/" + std::string(id) + ".pdf";
  WriteFileAtomically(root_ / relative, bytes);
  return relative;
}

std::optional<std::string> DocumentFiles::Read(std::string_view relative_path) const {
  std::ifstream in(root_ / relative_path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void DocumentFiles::Remove(std::string_view relative_path) noexcept {
  std::error_code ignored;
  std::filesystem::remove(root_ / relative_path, ignored);
}

}  // namespace numberdesk
