#ifndef NUMBERDESK_STORAGE_SQLITE_SQLITE_CONNECTION_H_
#define NUMBERDESK_STORAGE_SQLITE_SQLITE_CONNECTION_H_

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace numberdesk::sqlite {

// Statement is one prepared statement. Bind indexes start at 1, column
// indexes at 0. Errors throw StoreError (ConflictError for a constraint).
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, const std::optional<std::string>& text);  // NULL when empty
  Statement& BindNull(int index);

  // Step runs the statement; true while it yields a row.
  bool Step();
  // Run steps a statement that yields no rows.
  void Run();

  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  std::int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

// Connection owns one SQLite handle, opened in WAL mode with full sync on
// commit, foreign keys on and a busy timeout for concurrent writers. The
// database file, and the -wal and -shm files SQLite makes beside it, are
// created with mode 0640 (less if the umask asks); an existing file with
// wider permissions is narrowed to 0640. Throws StoreError if the file cannot
// be created, narrowed or opened.
class Connection {
 public:
  explicit Connection(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Execute(std::string_view sql);
  Statement Prepare(std::string_view sql) { return Statement(db_, sql); }
  // Changes returns how many rows the last INSERT, UPDATE or DELETE changed.
  int Changes() const;

 private:
  sqlite3* db_ = nullptr;
};

// Transaction runs BEGIN IMMEDIATE (so writers queue for the lock up front
// instead of failing midway) and rolls back unless Commit was called.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  void Commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

// ConnectionPool lends connections to one thread at a time, opening up to
// `size` of them on demand.
class ConnectionPool {
 public:
  ConnectionPool(std::filesystem::path file, std::size_t size);

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  Lease Acquire();

 private:
  void Release(std::unique_ptr<Connection> connection);

  std::filesystem::path file_;
  std::size_t size_;
  std::mutex mutex_;  // guards idle_ and opened_
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace numberdesk::sqlite

#endif  // NUMBERDESK_STORAGE_SQLITE_SQLITE_CONNECTION_H_
