#include "storage/sqlite/sqlite_store.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "domain/timestamps.h"
#include "domain/workflow.h"
#include "security/random_ids.h"
#include "storage/sqlite/migrations.inc"

namespace numberdesk {
namespace {

using sqlite::Statement;

std::string Now() {
  return FormatRfc3339(std::chrono::system_clock::now());
}

std::string ToJsonArray(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

std::vector<std::string> FromJsonArray(const std::string& text) {
  return nlohmann::json::parse(text).get<std::vector<std::string>>();
}

constexpr std::string_view kAccountColumns = "id, name, default_user_id, created_at";

Account ReadAccount(const Statement& row) {
  return Account{row.Text(0), row.Text(1), row.OptionalText(2), row.Text(3)};
}

constexpr std::string_view kUserColumns =
    "u.id, u.account_id, u.username, u.email, u.role, u.can_manage_fax_numbers, u.active, "
    "u.created_at";

User ReadUser(const Statement& row, int first = 0) {
  User user;
  user.id = row.Text(first);
  user.account_id = row.OptionalText(first + 1);
  user.username = row.Text(first + 2);
  user.email = row.Text(first + 3);
  user.role = ParseUserRole(row.Text(first + 4)).value_or(UserRole::kFaxUser);
  user.can_manage_fax_numbers = row.Int(first + 5) != 0;
  user.active = row.Int(first + 6) != 0;
  user.created_at = row.Text(first + 7);
  return user;
}

constexpr std::string_view kRequestColumns =
    "r.id, r.account_id, r.requester_user_id, r.type, r.status, r.country_code, "
    "r.department_name, r.assign_to_user_id, a.username, r.notify_email, r.comment, "
    "r.forward_from, r.region, r.city, r.area_code, r.number_to_port, r.toll_free, "
    "r.created_at, r.updated_at, r.seq, r.carrier_reference, r.foc_date, r.number, r.version, "
    "r.status_changed_at";

constexpr std::string_view kRequestFrom =
    " FROM number_requests r LEFT JOIN users a ON a.id = r.assign_to_user_id";

NumberRequest ReadRequest(const Statement& row) {
  NumberRequest request;
  request.id = row.Text(0);
  request.account_id = row.Text(1);
  request.requester_user_id = row.Text(2);
  request.type = ParseRequestType(row.Text(3)).value_or(RequestType::kNonTollFree);
  request.status = ParseRequestStatus(row.Text(4)).value_or(RequestStatus::kSubmitted);
  request.country_code = row.Text(5);
  request.department_name = row.OptionalText(6);
  request.assign_to_user_id = row.OptionalText(7);
  request.assign_to_user = row.OptionalText(8);
  request.notify_email = FromJsonArray(row.Text(9));
  request.comment = row.OptionalText(10);
  request.forward_from = row.OptionalText(11);
  request.region = row.OptionalText(12);
  request.city = row.OptionalText(13);
  request.area_code = FromJsonArray(row.Text(14));
  request.number_to_port = row.OptionalText(15);
  if (!row.IsNull(16)) request.toll_free = row.Int(16) != 0;
  request.created_at = row.Text(17);
  request.updated_at = row.Text(18);
  request.carrier_reference = row.OptionalText(20);
  request.foc_date = row.OptionalText(21);
  request.number = row.OptionalText(22);
  request.version = row.Int(23);
  request.status_changed_at = row.Text(24);
  return request;
}

constexpr std::string_view kDocumentColumns =
    "id, request_id, kind, file_name, content_type, size_bytes, sha256, page_count, "
    "created_at, storage_path, event_id";

StoredDocument ReadDocument(const Statement& row) {
  StoredDocument stored;
  RequestDocument& document = stored.document;
  document.id = row.Text(0);
  document.request_id = row.Text(1);
  document.kind = ParseDocumentKind(row.Text(2)).value_or(DocumentKind::kLoa);
  document.file_name = row.Text(3);
  document.content_type = row.Text(4);
  document.size_bytes = row.Int(5);
  document.sha256 = row.Text(6);
  document.page_count = static_cast<int>(row.Int(7));
  document.created_at = row.Text(8);
  stored.storage_path = row.Text(9);
  document.event_id = row.OptionalText(10);
  return stored;
}

// FindOne runs `sql`, which has one parameter bound to `key`, and reads its
// first row with `read`.
template <typename Reader>
auto FindOne(sqlite::ConnectionPool& pool, const std::string& sql, std::string_view key,
             Reader read) -> std::optional<decltype(read(std::declval<const Statement&>()))> {
  auto db = pool.Acquire();
  Statement query = db->Prepare(sql);
  query.Bind(1, key);
  if (!query.Step()) return std::nullopt;
  return read(query);
}

// CreationTime is the time to stamp on a request being stored on `db`, which
// must hold the write lock: now, or the newest stored request's created_at if
// the clock has stepped back, so created_at never decreases as seq grows.
std::string CreationTime(sqlite::Connection& db) {
  std::string now = Now();
  Statement newest = db.Prepare("SELECT created_at FROM number_requests ORDER BY seq DESC LIMIT 1");
  if (newest.Step()) {
    // RFC 3339 UTC times of one fixed format compare as text.
    std::string previous = newest.Text(0);
    if (previous > now) return previous;
  }
  return now;
}

void InsertDocument(sqlite::Connection& db, const StoredDocument& stored) {
  const RequestDocument& document = stored.document;
  db.Prepare("INSERT INTO request_documents (" + std::string(kDocumentColumns) +
             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, document.id)
      .Bind(2, document.request_id)
      .Bind(3, ToString(document.kind))
      .Bind(4, document.file_name)
      .Bind(5, document.content_type)
      .Bind(6, document.size_bytes)
      .Bind(7, document.sha256)
      .Bind(8, std::int64_t{document.page_count})
      .Bind(9, document.created_at)
      .Bind(10, stored.storage_path)
      .Bind(11, document.event_id)
      .Run();
}

void InsertEvent(sqlite::Connection& db, const RequestEvent& event) {
  Statement insert = db.Prepare(
      "INSERT INTO request_events (id, request_id, actor_user_id, occurred_at, old_status, "
      "new_status, note, visibility, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, event.id)
      .Bind(2, event.request_id)
      .Bind(3, event.actor_user_id)
      .Bind(4, event.occurred_at)
      .Bind(6, ToString(event.new_status))
      .Bind(7, event.note)
      .Bind(8, ToString(event.visibility))
      .Bind(9, ToString(event.kind));
  if (event.old_status) {
    insert.Bind(5, ToString(*event.old_status));
  } else {
    insert.BindNull(5);
  }
  insert.Run();
}

// InsertOutbox stores a notification, due at once.
void InsertOutbox(sqlite::Connection& db, OutboxMessage& message, const std::string& now) {
  message.created_at = now;
  message.next_attempt_at = now;
  db.Prepare(
        "INSERT INTO outbox (id, event_id, channel, recipient, message_id, payload, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, message.id)
      .Bind(2, message.event_id)
      .Bind(3, ToString(message.channel))
      .Bind(4, message.recipient)
      .Bind(5, message.message_id)
      .Bind(6, message.payload)
      .Bind(7, message.next_attempt_at)
      .Bind(8, message.created_at)
      .Run();
}

// StoreNotifications stores what `notify` composes for `event`, stamped `now`.
void StoreNotifications(sqlite::Connection& db, const OutboxComposer& notify,
                        const RequestEvent& event, const std::vector<StoredDocument>& documents,
                        const std::string& now) {
  if (!notify) return;
  std::vector<std::string> brought;
  for (const StoredDocument& stored : documents) {
    if (stored.document.event_id == event.id) brought.push_back(stored.document.id);
  }
  for (OutboxMessage& message : notify(event, brought)) {
    message.event_id = event.id;
    InsertOutbox(db, message, now);
  }
}

constexpr std::string_view kOutboxColumns =
    "o.id, o.event_id, o.channel, o.recipient, o.message_id, o.payload, o.state, o.attempts, "
    "o.next_attempt_at, o.last_error, o.created_at, o.sent_at, e.request_id";
constexpr std::string_view kOutboxFrom =
    " FROM outbox o JOIN request_events e ON e.id = o.event_id";

OutboxMessage ReadOutbox(const Statement& row) {
  OutboxMessage message;
  message.id = row.Text(0);
  message.event_id = row.Text(1);
  message.channel = row.Text(2) == "webhook" ? OutboxChannel::kWebhook : OutboxChannel::kEmail;
  message.recipient = row.Text(3);
  message.message_id = row.Text(4);
  message.payload = row.Text(5);
  std::string state = row.Text(6);
  message.state = state == "sent"     ? OutboxState::kSent
                  : state == "failed" ? OutboxState::kFailed
                                      : OutboxState::kPending;
  message.attempts = static_cast<int>(row.Int(7));
  message.next_attempt_at = row.Text(8);
  message.last_error = row.OptionalText(9);
  message.created_at = row.Text(10);
  message.sent_at = row.OptionalText(11);
  message.request_id = row.Text(12);
  return message;
}

constexpr std::string_view kWebhookColumns = "id, account_id, url, secret, created_at";

Webhook ReadWebhook(const Statement& row) {
  return Webhook{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)};
}

// BindOptional binds `value`, or NULL when it is empty.
template <typename T>
void BindOptional(Statement& statement, int index, const std::optional<T>& value) {
  if (value) {
    statement.Bind(index, *value);
  } else {
    statement.BindNull(index);
  }
}

// The queue's cursor: the (status_changed_at, seq) of the last request of a
// page, hex-encoded so that clients treat it as opaque.
std::string QueueCursor(const std::string& status_changed_at, std::int64_t seq) {
  return "q" + HexEncode(status_changed_at + "|" + std::to_string(seq));
}

std::optional<std::pair<std::string, std::int64_t>> ParseQueueCursor(std::string_view cursor) {
  if (cursor.size() < 3 || cursor[0] != 'q' || cursor.size() % 2 == 0) return std::nullopt;
  std::string text;
  for (std::size_t i = 1; i + 1 < cursor.size(); i += 2) {
    int value = 0;
    auto [end, ec] = std::from_chars(cursor.data() + i, cursor.data() + i + 2, value, 16);
    if (ec != std::errc() || end != cursor.data() + i + 2) return std::nullopt;
    text.push_back(static_cast<char>(value));
  }
  std::size_t bar = text.find('|');
  if (bar == std::string::npos || !ParseRfc3339(text.substr(0, bar))) return std::nullopt;
  std::int64_t seq = 0;
  const char* first = text.data() + bar + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, seq);
  if (ec != std::errc() || end != last || first == last) return std::nullopt;
  return std::make_pair(text.substr(0, bar), seq);
}

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& file, std::size_t connections)
    : pool_(file, connections) {
  Migrate();
}

void SqliteStore::Migrate() {
  auto db = pool_.Acquire();
  db->Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  int current = SchemaVersion();
  int newest = 0;
  for (const auto& migration : sqlite_migrations::kAll)
    newest = std::max(newest, migration.version);
  if (current > newest) {
    throw StoreError("the database has schema version " + std::to_string(current) +
                     ", newer than this numberdesk knows (" + std::to_string(newest) + ")");
  }
  for (const auto& migration : sqlite_migrations::kAll) {
    if (migration.version <= current) continue;
    sqlite::Transaction transaction(*db);
    db->Execute(migration.sql);
    db->Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .Bind(1, std::int64_t{migration.version})
        .Bind(2, migration.name)
        .Bind(3, Now())
        .Run();
    transaction.Commit();
  }
}

int SqliteStore::SchemaVersion() {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  query.Step();
  return static_cast<int>(query.Int(0));
}

Account SqliteStore::CreateAccount(std::string_view name) {
  Account account{NewId("acc_"), std::string(name), std::nullopt, Now()};
  auto db = pool_.Acquire();
  db->Prepare("INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)")
      .Bind(1, account.id)
      .Bind(2, account.name)
      .Bind(3, account.created_at)
      .Run();
  return account;
}

std::optional<Account> SqliteStore::FindAccount(std::string_view id) {
  return FindOne(pool_, "SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE id = ?",
                 id, ReadAccount);
}

std::optional<Account> SqliteStore::FindAccountByName(std::string_view name) {
  return FindOne(pool_, "SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE name = ?",
                 name, ReadAccount);
}

void SqliteStore::SetDefaultUser(std::string_view account_id, std::string_view user_id) {
  auto db = pool_.Acquire();
  db->Prepare("UPDATE accounts SET default_user_id = ? WHERE id = ?")
      .Bind(1, user_id)
      .Bind(2, account_id)
      .Run();
}

User SqliteStore::CreateUser(User user) {
  user.id = NewId("usr_");
  user.created_at = Now();
  auto db = pool_.Acquire();
  db->Prepare(
        "INSERT INTO users (id, account_id, username, email, role, can_manage_fax_numbers, "
        "active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, user.id)
      .Bind(2, user.account_id)
      .Bind(3, user.username)
      .Bind(4, user.email)
      .Bind(5, ToString(user.role))
      .Bind(6, std::int64_t{user.can_manage_fax_numbers})
      .Bind(7, std::int64_t{user.active})
      .Bind(8, user.created_at)
      .Run();
  return user;
}

std::optional<User> SqliteStore::FindUser(std::string_view id) {
  return FindOne(pool_, "SELECT " + std::string(kUserColumns) + " FROM users u WHERE u.id = ?", id,
                 [](const Statement& row) { return ReadUser(row); });
}

std::optional<User> SqliteStore::FindUserByUsername(std::string_view username) {
  return FindOne(pool_,
                 "SELECT " + std::string(kUserColumns) + " FROM users u WHERE u.username = ?",
                 username, [](const Statement& row) { return ReadUser(row); });
}

ApiToken SqliteStore::CreateToken(ApiToken token, std::string_view secret_hash) {
  token.id = NewId("tok_");
  token.created_at = Now();
  auto db = pool_.Acquire();
  db->Prepare(
        "INSERT INTO api_tokens (id, user_id, secret_hash, display_prefix, label, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, token.id)
      .Bind(2, token.user_id)
      .Bind(3, secret_hash)
      .Bind(4, token.display_prefix)
      .Bind(5, token.label)
      .Bind(6, token.created_at)
      .Bind(7, token.expires_at)
      .Run();
  return token;
}

std::optional<TokenGrant> SqliteStore::FindTokenByHash(std::string_view secret_hash) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare(
      "SELECT t.id, t.user_id, t.display_prefix, t.label, t.created_at, t.expires_at, "
      "t.revoked_at, t.last_used_at, " +
      std::string(kUserColumns) +
      " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = ?");
  query.Bind(1, secret_hash);
  if (!query.Step()) return std::nullopt;
  TokenGrant grant;
  grant.token =
      ApiToken{query.Text(0), query.Text(1),         query.Text(2),         query.Text(3),
               query.Text(4), query.OptionalText(5), query.OptionalText(6), query.OptionalText(7)};
  grant.user = ReadUser(query, 8);
  return grant;
}

void SqliteStore::RecordTokenUse(std::string_view token_id, std::string_view at) {
  auto db = pool_.Acquire();
  db->Prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
      .Bind(1, at)
      .Bind(2, token_id)
      .Run();
}

bool SqliteStore::RevokeToken(std::string_view token_id, std::string_view at) {
  auto db = pool_.Acquire();
  db->Prepare("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
      .Bind(1, at)
      .Bind(2, token_id)
      .Run();
  Statement check = db->Prepare("SELECT 1 FROM api_tokens WHERE id = ?");
  check.Bind(1, token_id);
  return check.Step();
}

void SqliteStore::CreateRequest(NumberRequest& request, std::vector<StoredDocument>& documents,
                                RequestEvent& first_event, const OutboxComposer& notify) {
  auto db = pool_.Acquire();
  sqlite::Transaction transaction(*db);

  if (request.type == RequestType::kPortIn && request.number_to_port) {
    Statement open = db->Prepare(
        "SELECT id, account_id FROM number_requests WHERE number_to_port = ? AND type = 'port_in' "
        "AND status NOT IN ('completed', 'rejected', 'cancelled') ORDER BY seq LIMIT 1");
    open.Bind(1, *request.number_to_port);
    if (open.Step()) throw OpenPortInError(open.Text(0), open.Text(1));
    // A number already live with the provider has nothing to be ported from.
    Statement active =
        db->Prepare("SELECT account_id FROM fax_numbers WHERE number = ? AND active = 1");
    active.Bind(1, *request.number_to_port);
    if (active.Step()) throw NumberActiveError(*request.number_to_port, active.Text(0));
  }

  // Stamped under the write lock: writers commit one at a time, so seq order
  // and created_at order agree even for requests created at the same moment.
  std::string now = CreationTime(*db);
  request.created_at = now;
  request.updated_at = now;
  request.status_changed_at = now;
  for (StoredDocument& stored : documents) {
    stored.document.request_id = request.id;
    stored.document.created_at = now;
  }
  first_event.request_id = request.id;
  first_event.occurred_at = now;

  Statement insert = db->Prepare(
      "INSERT INTO number_requests (id, account_id, requester_user_id, type, status, "
      "country_code, department_name, assign_to_user_id, notify_email, comment, forward_from, "
      "region, city, area_code, number_to_port, toll_free, created_at, updated_at, "
      "status_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, request.id)
      .Bind(2, request.account_id)
      .Bind(3, request.requester_user_id)
      .Bind(4, ToString(request.type))
      .Bind(5, ToString(request.status))
      .Bind(6, request.country_code)
      .Bind(7, request.department_name)
      .Bind(8, request.assign_to_user_id)
      .Bind(9, ToJsonArray(request.notify_email))
      .Bind(10, request.comment)
      .Bind(11, request.forward_from)
      .Bind(12, request.region)
      .Bind(13, request.city)
      .Bind(14, ToJsonArray(request.area_code))
      .Bind(15, request.number_to_port)
      .Bind(17, request.created_at)
      .Bind(18, request.updated_at)
      .Bind(19, request.status_changed_at);
  BindOptional(insert, 16,
               request.toll_free ? std::optional<std::int64_t>(*request.toll_free) : std::nullopt);
  insert.Run();

  for (const StoredDocument& stored : documents)
    InsertDocument(*db, stored);
  InsertEvent(*db, first_event);
  StoreNotifications(*db, notify, first_event, documents, now);
  transaction.Commit();
}

std::optional<NumberRequest> SqliteStore::FindRequest(std::string_view account_id,
                                                      std::string_view request_id) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT " + std::string(kRequestColumns) +
                                std::string(kRequestFrom) + " WHERE r.id = ? AND r.account_id = ?");
  query.Bind(1, request_id).Bind(2, account_id);
  if (!query.Step()) return std::nullopt;
  return ReadRequest(query);
}

RequestPage SqliteStore::ListRequests(std::string_view account_id, const RequestFilter& filter,
                                      const std::optional<std::string>& cursor, int limit) {
  auto db = pool_.Acquire();

  // The cursor is the id of the last request of the previous page; the page
  // continues below its seq, which never changes once stored.
  std::optional<std::int64_t> before;
  if (cursor) {
    Statement position =
        db->Prepare("SELECT seq FROM number_requests WHERE id = ? AND account_id = ?");
    position.Bind(1, *cursor).Bind(2, account_id);
    if (!position.Step()) throw std::invalid_argument("cursor is not a request of this account");
    before = position.Int(0);
  }

  std::string sql = "SELECT " + std::string(kRequestColumns) + std::string(kRequestFrom) +
                    " WHERE r.account_id = ?1 AND (?2 IS NULL OR r.seq < ?2)"
                    " AND (?3 IS NULL OR r.status = ?3) AND (?4 IS NULL OR r.type = ?4)"
                    " ORDER BY r.seq DESC LIMIT ?5";
  Statement query = db->Prepare(sql);
  query.Bind(1, account_id);
  if (before) {
    query.Bind(2, *before);
  } else {
    query.BindNull(2);
  }
  if (filter.status) {
    query.Bind(3, ToString(*filter.status));
  } else {
    query.BindNull(3);
  }
  if (filter.type) {
    query.Bind(4, ToString(*filter.type));
  } else {
    query.BindNull(4);
  }
  query.Bind(5, std::int64_t{limit} + 1);

  RequestPage page;
  while (query.Step()) {
    if (static_cast<int>(page.requests.size()) == limit) {
      page.next_cursor = page.requests.back().id;
      break;
    }
    page.requests.push_back(ReadRequest(query));
  }
  return page;
}

std::vector<RequestDocument> SqliteStore::DocumentsOf(std::string_view request_id) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT " + std::string(kDocumentColumns) +
                                " FROM request_documents WHERE request_id = ? "
                                "ORDER BY rowid");  // as stored
  query.Bind(1, request_id);
  std::vector<RequestDocument> documents;
  while (query.Step())
    documents.push_back(ReadDocument(query).document);
  return documents;
}

std::optional<StoredDocument> SqliteStore::FindDocument(std::string_view request_id,
                                                        std::string_view document_id) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT " + std::string(kDocumentColumns) +
                                " FROM request_documents WHERE request_id = ? AND id = ?");
  query.Bind(1, request_id).Bind(2, document_id);
  if (!query.Step()) return std::nullopt;
  return ReadDocument(query);
}

std::vector<RequestEvent> SqliteStore::EventsOf(std::string_view request_id,
                                                bool include_internal) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare(
      "SELECT e.id, e.request_id, e.actor_user_id, u.username, e.occurred_at, e.old_status, "
      "e.new_status, e.note, e.visibility, e.kind FROM request_events e "
      "JOIN users u ON u.id = e.actor_user_id "
      "WHERE e.request_id = ? AND (? OR e.visibility = 'customer') ORDER BY e.seq");
  query.Bind(1, request_id).Bind(2, std::int64_t{include_internal});
  std::vector<RequestEvent> events;
  while (query.Step()) {
    RequestEvent event;
    event.id = query.Text(0);
    event.request_id = query.Text(1);
    event.actor_user_id = query.Text(2);
    event.actor_username = query.Text(3);
    event.occurred_at = query.Text(4);
    if (auto old_status = query.OptionalText(5)) event.old_status = ParseRequestStatus(*old_status);
    event.new_status = ParseRequestStatus(query.Text(6)).value_or(RequestStatus::kSubmitted);
    event.note = query.Text(7);
    event.visibility =
        query.Text(8) == "internal" ? EventVisibility::kInternal : EventVisibility::kCustomer;
    event.kind = ParseEventKind(query.Text(9)).value_or(EventKind::kStatusChange);
    events.push_back(std::move(event));
  }
  return events;
}

std::optional<NumberRequest> SqliteStore::FindAnyRequest(std::string_view request_id) {
  return FindOne(
      pool_,
      "SELECT " + std::string(kRequestColumns) + std::string(kRequestFrom) + " WHERE r.id = ?",
      request_id, ReadRequest);
}

RequestPage SqliteStore::ListQueue(const QueueFilter& filter,
                                   const std::optional<std::string>& cursor, int limit) {
  std::optional<std::pair<std::string, std::int64_t>> after;
  if (cursor) {
    after = ParseQueueCursor(*cursor);
    if (!after) throw std::invalid_argument("not a queue cursor");
  }
  auto db = pool_.Acquire();
  Statement query = db->Prepare(
      "SELECT " + std::string(kRequestColumns) + std::string(kRequestFrom) +
      " WHERE (?1 IS NULL OR r.status_changed_at > ?1 OR (r.status_changed_at = ?1 AND r.seq > ?2))"
      " AND (CASE WHEN ?3 IS NULL THEN r.status NOT IN ('completed', 'rejected', 'cancelled')"
      " ELSE r.status = ?3 END)"
      " AND (?4 IS NULL OR r.type = ?4) AND (?5 IS NULL OR r.account_id = ?5)"
      " ORDER BY r.status_changed_at, r.seq LIMIT ?6");
  if (after) {
    query.Bind(1, after->first).Bind(2, after->second);
  } else {
    query.BindNull(1).BindNull(2);
  }
  BindOptional(query, 3,
               filter.status ? std::optional<std::string>(ToString(*filter.status)) : std::nullopt);
  BindOptional(query, 4,
               filter.type ? std::optional<std::string>(ToString(*filter.type)) : std::nullopt);
  BindOptional(query, 5, filter.account_id);
  query.Bind(6, std::int64_t{limit} + 1);

  RequestPage page;
  std::int64_t last_seq = 0;
  while (query.Step()) {
    if (static_cast<int>(page.requests.size()) == limit) {
      page.next_cursor = QueueCursor(page.requests.back().status_changed_at, last_seq);
      break;
    }
    page.requests.push_back(ReadRequest(query));
    last_seq = query.Int(19);
  }
  return page;
}

void SqliteStore::ApplyChange(RequestChange& change) {
  auto db = pool_.Acquire();
  sqlite::Transaction transaction(*db);

  Statement current =
      db->Prepare("SELECT version, updated_at, status FROM number_requests WHERE id = ?");
  current.Bind(1, change.request_id);
  if (!current.Step()) throw StoreError("no request " + change.request_id + " to change");
  if (change.expected_version && current.Int(0) != *change.expected_version) {
    throw StaleRequestError("request " + change.request_id + " changed meanwhile");
  }
  std::optional<RequestStatus> status = ParseRequestStatus(current.Text(2));
  if (change.require_open && (!status || !IsOpen(*status))) {
    throw RequestClosedError("request " + change.request_id + " is closed");
  }

  // Never earlier than the request's last change, should the clock step
  // back: a timeline's times only grow.
  std::string now = std::max(Now(), current.Text(1));
  Statement update = db->Prepare(
      "UPDATE number_requests SET updated_at = ?1, carrier_reference = COALESCE(?2, "
      "carrier_reference), foc_date = COALESCE(?3, foc_date), number = COALESCE(?4, number), "
      "status = COALESCE(?5, status), version = version + (?5 IS NOT NULL), "
      "status_changed_at = CASE WHEN ?5 IS NULL THEN status_changed_at ELSE ?1 END WHERE id = ?6");
  update.Bind(1, now)
      .Bind(2, change.carrier_reference)
      .Bind(3, change.foc_date)
      .Bind(4, change.number)
      .Bind(6, change.request_id);
  BindOptional(
      update, 5,
      change.new_status ? std::optional<std::string>(ToString(*change.new_status)) : std::nullopt);
  update.Run();

  for (RequestEvent& event : change.events) {
    event.request_id = change.request_id;
    event.occurred_at = now;
    InsertEvent(*db, event);
  }
  for (StoredDocument& stored : change.documents) {
    stored.document.request_id = change.request_id;
    stored.document.created_at = now;
    InsertDocument(*db, stored);
  }
  for (const RequestEvent& event : change.events)
    StoreNotifications(*db, change.notify, event, change.documents, now);
  if (change.activation) {
    FaxNumber& number = *change.activation;
    Statement active =
        db->Prepare("SELECT account_id FROM fax_numbers WHERE number = ? AND active = 1");
    active.Bind(1, number.number);
    if (active.Step()) throw NumberActiveError(number.number, active.Text(0));
    // A number being ported in by another request is promised to it.
    Statement porting = db->Prepare(
        "SELECT id, account_id FROM number_requests WHERE number_to_port = ? AND type = 'port_in' "
        "AND status NOT IN ('completed', 'rejected', 'cancelled') AND id <> ? ORDER BY seq LIMIT "
        "1");
    porting.Bind(1, number.number).Bind(2, change.request_id);
    if (porting.Step()) throw OpenPortInError(porting.Text(0), porting.Text(1));
    number.activated_at = now;
    db->Prepare(
          "INSERT INTO fax_numbers (id, number, account_id, request_id, assigned_user_id, "
          "activated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .Bind(1, number.id)
        .Bind(2, number.number)
        .Bind(3, number.account_id)
        .Bind(4, number.request_id)
        .Bind(5, number.assigned_user_id)
        .Bind(6, number.activated_at)
        .Run();
  }
  transaction.Commit();
}

std::vector<FaxNumber> SqliteStore::ActiveNumbers(std::string_view account_id) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare(
      "SELECT f.id, f.number, f.account_id, f.request_id, f.assigned_user_id, u.username, "
      "f.activated_at FROM fax_numbers f JOIN users u ON u.id = f.assigned_user_id "
      "WHERE f.account_id = ? AND f.active = 1 ORDER BY f.number");
  query.Bind(1, account_id);
  std::vector<FaxNumber> numbers;
  while (query.Step()) {
    numbers.push_back(FaxNumber{query.Text(0), query.Text(1), query.Text(2), query.Text(3),
                                query.Text(4), query.Text(5), query.Text(6)});
  }
  return numbers;
}

std::vector<User> SqliteStore::UsersOf(std::string_view account_id) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT " + std::string(kUserColumns) +
                                " FROM users u WHERE u.account_id = ? ORDER BY u.username");
  query.Bind(1, account_id);
  std::vector<User> users;
  while (query.Step())
    users.push_back(ReadUser(query));
  return users;
}

bool SqliteStore::SetUserActive(std::string_view user_id, bool active) {
  auto db = pool_.Acquire();
  db->Prepare("UPDATE users SET active = ? WHERE id = ?")
      .Bind(1, std::int64_t{active})
      .Bind(2, user_id)
      .Run();
  return db->Changes() > 0;
}

IdempotencyClaim SqliteStore::ClaimIdempotencyKey(std::string_view user_id, std::string_view key,
                                                  std::string_view fingerprint,
                                                  std::string_view expired_before,
                                                  std::string_view abandoned_before) {
  auto db = pool_.Acquire();
  sqlite::Transaction transaction(*db);
  db->Prepare("DELETE FROM idempotency_keys WHERE created_at < ?").Bind(1, expired_before).Run();

  Statement found = db->Prepare(
      "SELECT fingerprint, status, headers, body, created_at FROM idempotency_keys "
      "WHERE user_id = ? AND key = ?");
  found.Bind(1, user_id).Bind(2, key);
  IdempotencyClaim claim;
  if (found.Step()) {
    bool abandoned = found.IsNull(1) && found.Text(4) < abandoned_before;
    if (found.Text(0) != fingerprint) {
      claim.state = IdempotencyState::kMismatch;
      transaction.Commit();
      return claim;
    }
    if (!abandoned) {
      if (found.IsNull(1)) {
        claim.state = IdempotencyState::kInProgress;
        transaction.Commit();
        return claim;
      }
      claim.state = IdempotencyState::kReplay;
      claim.response.status = static_cast<int>(found.Int(1));
      for (const auto& pair : nlohmann::json::parse(found.Text(2))) {
        claim.response.headers.emplace_back(pair.at(0).get<std::string>(),
                                            pair.at(1).get<std::string>());
      }
      claim.response.body = found.Text(3);
      transaction.Commit();
      return claim;
    }
  }
  db->Prepare(
        "INSERT OR REPLACE INTO idempotency_keys (user_id, key, fingerprint, created_at) "
        "VALUES (?, ?, ?, ?)")
      .Bind(1, user_id)
      .Bind(2, key)
      .Bind(3, fingerprint)
      .Bind(4, Now())
      .Run();
  transaction.Commit();
  claim.state = IdempotencyState::kClaimed;
  return claim;
}

void SqliteStore::FinishIdempotencyKey(std::string_view user_id, std::string_view key,
                                       const StoredResponse& response) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : response.headers)
    headers.push_back({name, value});
  auto db = pool_.Acquire();
  db->Prepare(
        "UPDATE idempotency_keys SET status = ?, headers = ?, body = ? "
        "WHERE user_id = ? AND key = ? AND status IS NULL")
      .Bind(1, std::int64_t{response.status})
      .Bind(2, headers.dump())
      .Bind(3, response.body)
      .Bind(4, user_id)
      .Bind(5, key)
      .Run();
}

void SqliteStore::ReleaseIdempotencyKey(std::string_view user_id, std::string_view key) {
  auto db = pool_.Acquire();
  db->Prepare("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL")
      .Bind(1, user_id)
      .Bind(2, key)
      .Run();
}

std::vector<OutboxMessage> SqliteStore::ClaimDueOutbox(OutboxChannel channel, std::string_view now,
                                                       std::string_view lease_until, int limit) {
  auto db = pool_.Acquire();
  sqlite::Transaction transaction(*db);
  Statement due =
      db->Prepare("SELECT " + std::string(kOutboxColumns) + std::string(kOutboxFrom) +
                  " WHERE o.state = 'pending' AND o.channel = ? AND o.next_attempt_at <= ? "
                  "ORDER BY o.next_attempt_at, o.seq LIMIT ?");
  due.Bind(1, ToString(channel)).Bind(2, now).Bind(3, std::int64_t{limit});
  std::vector<OutboxMessage> claimed;
  while (due.Step())
    claimed.push_back(ReadOutbox(due));
  for (OutboxMessage& message : claimed) {
    message.next_attempt_at = std::string(lease_until);
    db->Prepare("UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?")
        .Bind(1, lease_until)
        .Bind(2, message.id)
        .Run();
    ++message.attempts;
  }
  transaction.Commit();
  return claimed;
}

void SqliteStore::MarkOutboxSent(std::string_view id, std::string_view at) {
  auto db = pool_.Acquire();
  db->Prepare("UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?")
      .Bind(1, at)
      .Bind(2, id)
      .Run();
}

void SqliteStore::MarkOutboxAttemptFailed(std::string_view id, std::string_view error,
                                          const std::optional<std::string>& retry_at) {
  auto db = pool_.Acquire();
  Statement update = db->Prepare(
      "UPDATE outbox SET last_error = ?1, state = CASE WHEN ?2 IS NULL THEN 'failed' ELSE "
      "'pending' END, next_attempt_at = COALESCE(?2, next_attempt_at) WHERE id = ?3");
  update.Bind(1, error).Bind(3, id);
  BindOptional(update, 2, retry_at);
  update.Run();
}

std::vector<OutboxMessage> SqliteStore::ListOutbox(OutboxState state, int limit) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT " + std::string(kOutboxColumns) + std::string(kOutboxFrom) +
                                " WHERE o.state = ? ORDER BY o.seq DESC LIMIT ?");
  query.Bind(1, ToString(state)).Bind(2, std::int64_t{limit});
  std::vector<OutboxMessage> messages;
  while (query.Step())
    messages.push_back(ReadOutbox(query));
  return messages;
}

OutboxRetry SqliteStore::RetryOutbox(std::string_view id, std::string_view at) {
  auto db = pool_.Acquire();
  // One transaction, so that a webhook deleted meanwhile cannot slip between
  // the check and the update.
  sqlite::Transaction transaction(*db);
  {
    Statement failed = db->Prepare(
        "SELECT o.channel = 'webhook' AND NOT EXISTS (SELECT 1 FROM webhooks w "
        "WHERE w.id = o.recipient AND w.deleted_at IS NULL) "
        "FROM outbox o WHERE o.id = ? AND o.state = 'failed'");
    failed.Bind(1, id);
    if (!failed.Step()) return OutboxRetry::kNotFailed;
    if (failed.Int(0) != 0) return OutboxRetry::kWebhookDeleted;
  }
  db->Prepare("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?")
      .Bind(1, at)
      .Bind(2, id)
      .Run();
  transaction.Commit();
  return OutboxRetry::kRetried;
}

Webhook SqliteStore::CreateWebhook(Webhook webhook) {
  webhook.id = NewId("whk_");
  webhook.created_at = Now();
  auto db = pool_.Acquire();
  db->Prepare("INSERT INTO webhooks (" + std::string(kWebhookColumns) + ") VALUES (?, ?, ?, ?, ?)")
      .Bind(1, webhook.id)
      .Bind(2, webhook.account_id)
      .Bind(3, webhook.url)
      .Bind(4, webhook.secret)
      .Bind(5, webhook.created_at)
      .Run();
  return webhook;
}

std::vector<Webhook> SqliteStore::WebhooksOf(std::string_view account_id) {
  auto db = pool_.Acquire();
  Statement query = db->Prepare("SELECT " + std::string(kWebhookColumns) +
                                " FROM webhooks WHERE account_id = ? AND deleted_at IS NULL "
                                "ORDER BY created_at, id");
  query.Bind(1, account_id);
  std::vector<Webhook> webhooks;
  while (query.Step())
    webhooks.push_back(ReadWebhook(query));
  return webhooks;
}

std::optional<Webhook> SqliteStore::FindWebhook(std::string_view id) {
  return FindOne(pool_,
                 "SELECT " + std::string(kWebhookColumns) +
                     " FROM webhooks WHERE id = ? AND deleted_at IS NULL",
                 id, ReadWebhook);
}

bool SqliteStore::DeleteWebhook(std::string_view account_id, std::string_view id,
                                std::string_view at) {
  auto db = pool_.Acquire();
  db->Prepare(
        "UPDATE webhooks SET deleted_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS "
        "NULL")
      .Bind(1, at)
      .Bind(2, id)
      .Bind(3, account_id)
      .Run();
  return db->Changes() > 0;
}

}  // namespace numberdesk
