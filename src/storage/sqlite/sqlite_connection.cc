#include "storage/sqlite/sqlite_connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/store.h"

namespace numberdesk::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10000;

// The database holds customer data, so it is readable by its owner and group
// at most, like the stored documents.
constexpr mode_t kDatabaseFileMode = 0640;

// CreateDatabaseFile creates `file` with kDatabaseFileMode if it does not
// exist yet. SQLite gives the -wal and -shm files it creates later the mode
// of the database file, so they inherit it. An existing file is left alone
// here: closing a descriptor of a file SQLite already has open in this
// process would drop SQLite's POSIX locks on it.
void CreateDatabaseFile(const std::filesystem::path& file) {
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, kDatabaseFileMode);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno == EEXIST) return;
  throw StoreError("create " + file.string() + ": " + std::strerror(errno));
}

// TightenDatabaseFileMode takes away any permission beyond kDatabaseFileMode
// from a database file created by an older numberdesk with the default 0644.
void TightenDatabaseFileMode(const std::filesystem::path& file) {
  struct stat status;
  if (::stat(file.c_str(), &status) != 0) return;  // the open below reports it
  mode_t mode = status.st_mode & 07777;
  if ((mode & ~kDatabaseFileMode) == 0) return;
  if (::chmod(file.c_str(), mode & kDatabaseFileMode) != 0) {
    throw StoreError("chmod " + file.string() + ": " + std::strerror(errno));
  }
}

[[noreturn]] void Fail(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConflictError(message);
  throw StoreError(message);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr);
  if (rc != SQLITE_OK) Fail(db_, rc, "prepare");
}

Statement::~Statement() {
  sqlite3_finalize(statement_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(statement_, index, value);
  if (rc != SQLITE_OK) Fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(statement_, index);
  if (rc != SQLITE_OK) Fail(db_, rc, "bind");
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(db_, rc, "step");
}

void Statement::Run() {
  while (Step()) {
  }
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Connection::Connection(const std::filesystem::path& file) {
  CreateDatabaseFile(file);
  TightenDatabaseFileMode(file);
  int rc =
      sqlite3_open_v2(file.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "open " + file.string() + ": " + sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw StoreError(message);
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db_, 1);
  Execute("PRAGMA journal_mode = WAL");
  // FULL makes each commit durable in WAL mode, not only consistent.
  Execute("PRAGMA synchronous = FULL");
  Execute("PRAGMA foreign_keys = ON");
}

Connection::~Connection() {
  sqlite3_close(db_);
}

int Connection::Changes() const {
  return sqlite3_changes(db_);
}

void Connection::Execute(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConflictError(message);
    throw StoreError("exec: " + message);
  }
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.Execute("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.Execute("ROLLBACK");
  } catch (const StoreError&) {
    // The transaction is gone either way; SQLite rolls back on its own when a
    // statement failure already ended it.
  }
}

void Transaction::Commit() {
  connection_.Execute("COMMIT");
  done_ = true;
}

ConnectionPool::ConnectionPool(std::filesystem::path file, std::size_t size)
    : file_(std::move(file)), size_(std::max<std::size_t>(1, size)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_) pool_->Release(std::move(connection_));
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || opened_ < size_; });
  if (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection));
  }
  ++opened_;
  lock.unlock();
  try {
    return Lease(this, std::make_unique<Connection>(file_));
  } catch (...) {
    std::lock_guard relock(mutex_);
    --opened_;
    returned_.notify_one();
    throw;
  }
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
  returned_.notify_one();
}

}  // namespace numberdesk::sqlite
