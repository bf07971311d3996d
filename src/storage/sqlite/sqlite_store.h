#ifndef NUMBERDESK_STORAGE_SQLITE_SQLITE_STORE_H_
#define NUMBERDESK_STORAGE_SQLITE_SQLITE_STORE_H_

#include <filesystem>

#include "storage/sqlite/sqlite_connection.h"
#include "storage/store.h"

namespace numberdesk {

// SqliteStore keeps numberdesk's state in one SQLite file. Opening it applies
// any schema migration the file has not seen yet, each in its own
// transaction, and records it in schema_migrations.
class SqliteStore : public Store {
 public:
  // Opens (creating if needed) the database `file` with up to `connections`
  // connections. Throws StoreError if the file cannot be opened or migrated,
  // or if it was written by a newer numberdesk.
  explicit SqliteStore(const std::filesystem::path& file, std::size_t connections = 4);

  // SchemaVersion returns the newest migration applied.
  int SchemaVersion();

  Account CreateAccount(std::string_view name) override;
  std::optional<Account> FindAccount(std::string_view id) override;
  std::optional<Account> FindAccountByName(std::string_view name) override;
  void SetDefaultUser(std::string_view account_id, std::string_view user_id) override;

  User CreateUser(User user) override;
  std::optional<User> FindUser(std::string_view id) override;
  std::optional<User> FindUserByUsername(std::string_view username) override;

  ApiToken CreateToken(ApiToken token, std::string_view secret_hash) override;
  std::optional<TokenGrant> FindTokenByHash(std::string_view secret_hash) override;
  void RecordTokenUse(std::string_view token_id, std::string_view at) override;
  bool RevokeToken(std::string_view token_id, std::string_view at) override;

  void CreateRequest(NumberRequest& request, std::vector<StoredDocument>& documents,
                     RequestEvent& first_event, const OutboxComposer& notify = {}) override;
  std::optional<NumberRequest> FindRequest(std::string_view account_id,
                                           std::string_view request_id) override;
  RequestPage ListRequests(std::string_view account_id, const RequestFilter& filter,
                           const std::optional<std::string>& cursor, int limit) override;
  std::vector<RequestDocument> DocumentsOf(std::string_view request_id) override;
  std::optional<StoredDocument> FindDocument(std::string_view request_id,
                                             std::string_view document_id) override;
  std::vector<RequestEvent> EventsOf(std::string_view request_id, bool include_internal) override;

  std::optional<NumberRequest> FindAnyRequest(std::string_view request_id) override;
  RequestPage ListQueue(const QueueFilter& filter, const std::optional<std::string>& cursor,
                        int limit) override;
  void ApplyChange(RequestChange& change) override;

  std::vector<FaxNumber> ActiveNumbers(std::string_view account_id) override;
  std::vector<User> UsersOf(std::string_view account_id) override;
  bool SetUserActive(std::string_view user_id, bool active) override;

  IdempotencyClaim ClaimIdempotencyKey(std::string_view user_id, std::string_view key,
                                       std::string_view fingerprint,
                                       std::string_view expired_before,
                                       std::string_view abandoned_before) override;
  void FinishIdempotencyKey(std::string_view user_id, std::string_view key,
                            const StoredResponse& response) override;
  void ReleaseIdempotencyKey(std::string_view user_id, std::string_view key) override;

  std::vector<OutboxMessage> ClaimDueOutbox(OutboxChannel channel, std::string_view now,
                                            std::string_view lease_until, int limit) override;
  void MarkOutboxSent(std::string_view id, std::string_view at) override;
  void MarkOutboxAttemptFailed(std::string_view id, std::string_view error,
                               const std::optional<std::string>& retry_at) override;
  std::vector<OutboxMessage> ListOutbox(OutboxState state, int limit) override;
  OutboxRetry RetryOutbox(std::string_view id, std::string_view at) override;

  Webhook CreateWebhook(Webhook webhook) override;
  std::vector<Webhook> WebhooksOf(std::string_view account_id) override;
  std::optional<Webhook> FindWebhook(std::string_view id) override;
  bool DeleteWebhook(std::string_view account_id, std::string_view id,
                     std::string_view at) override;

 private:
  void Migrate();

  sqlite::ConnectionPool pool_;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_STORAGE_SQLITE_SQLITE_STORE_H_
