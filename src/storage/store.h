#ifndef NUMBERDESK_STORAGE_STORE_H_
#define NUMBERDESK_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "domain/activation.h"
#include "domain/number_request.h"

namespace numberdesk {

// StoreError is a failure of the database itself (I/O, corruption, a bug in
// a query). Handlers turn it into a 500; it never comes from client input.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ConflictError means a uniqueness rule refused a write, e.g. an account
// name that is taken.
class ConflictError : public StoreError {
 public:
  using StoreError::StoreError;
};

// StaleRequestError means a change expected a request at a version it is no
// longer at: someone else changed it first.
class StaleRequestError : public StoreError {
 public:
  using StoreError::StoreError;
};

// RequestClosedError means a change that needs an open request found it
// completed, rejected or cancelled.
class RequestClosedError : public StoreError {
 public:
  using StoreError::StoreError;
};

// OpenPortInError means a port-in was refused because another open port-in
// for the same number exists.
class OpenPortInError : public ConflictError {
 public:
  OpenPortInError(std::string request_id, std::string account_id)
      : ConflictError("an open port-in for this number exists: " + request_id),
        request_id(std::move(request_id)),
        account_id(std::move(account_id)) {}
  std::string request_id;
  std::string account_id;
};

// NumberActiveError means a number could not be activated because it is
// already active, on this account or another.
class NumberActiveError : public ConflictError {
 public:
  NumberActiveError(std::string number, std::string account_id)
      : ConflictError("number " + number + " is already active"),
        number(std::move(number)),
        account_id(std::move(account_id)) {}
  std::string number;
  std::string account_id;
};

// A document's metadata plus where its bytes are kept.
struct StoredDocument {
  RequestDocument document;
  std::string storage_path;  // relative to the document folder
};

struct RequestFilter {
  std::optional<RequestStatus> status;
  std::optional<RequestType> type;
};

// One page of an account's requests, newest first.
struct RequestPage {
  std::vector<NumberRequest> requests;
  // Pass to ListRequests to get the next page; empty on the last page. It is
  // the id of the last request of this page, so it tells the client nothing
  // it did not already know. Pages continue after that request in the order
  // requests were stored, so requests created meanwhile never shift or
  // repeat what later pages return.
  std::optional<std::string> next_cursor;
};

// The support queue's filters; every one is optional. With no status the
// queue holds the open requests only.
struct QueueFilter {
  std::optional<RequestStatus> status;
  std::optional<RequestType> type;
  std::optional<std::string> account_id;
};

// OutboxMessage is one notification waiting for delivery, or delivered.
enum class OutboxChannel { kEmail, kWebhook };
enum class OutboxState { kPending, kSent, kFailed };

inline std::string_view ToString(OutboxChannel channel) {
  return channel == OutboxChannel::kEmail ? "email" : "webhook";
}
inline std::string_view ToString(OutboxState state) {
  return state == OutboxState::kPending ? "pending"
         : state == OutboxState::kSent  ? "sent"
                                        : "failed";
}

struct OutboxMessage {
  std::string id;
  std::string event_id;
  std::string request_id;  // the event's request; filled when read back
  OutboxChannel channel = OutboxChannel::kEmail;
  std::string recipient;   // an email address, or a webhook id
  std::string message_id;  // stable: a retry sends the same message
  std::string payload;     // the whole RFC 5322 message, or the webhook's JSON body
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  std::string next_attempt_at;
  std::optional<std::string> last_error;
  std::string created_at;
  std::optional<std::string> sent_at;
};

// How Store::RetryOutbox ended.
enum class OutboxRetry {
  kRetried,         // pending again, with a fresh count of attempts
  kNotFailed,       // no failed message with that id: none at all, or pending or sent
  kWebhookDeleted,  // a webhook delivery whose webhook was deleted; it could only fail again
};

// A URL an account's customer-visible events are posted to.
struct Webhook {
  std::string id;
  std::string account_id;
  std::string url;
  std::string secret;
  std::string created_at;
};

// OutboxComposer returns the notifications one stored event causes, given
// the ids of the documents the event brought. The store calls it for each
// event it stores, once the event is stamped with its time and inside the
// transaction that stores it, so that an event and its notifications are
// stored together or not at all. It must not call the store.
using OutboxComposer = std::function<std::vector<OutboxMessage>(
    const RequestEvent& event, const std::vector<std::string>& document_ids)>;

// RequestChange is one change to a stored request, applied atomically by
// Store::ApplyChange: an optional status move with the fields it records,
// documents, events and the activation of a number.
struct RequestChange {
  std::string request_id;
  // A status move is applied only if the request is still at this version;
  // otherwise ApplyChange throws StaleRequestError and changes nothing.
  std::optional<std::int64_t> expected_version;
  // The change is applied only to an open request; otherwise ApplyChange
  // throws RequestClosedError and changes nothing.
  bool require_open = false;
  std::optional<RequestStatus> new_status;
  std::optional<std::string> carrier_reference;
  std::optional<std::string> foc_date;
  std::optional<std::string> number;
  std::vector<StoredDocument> documents;
  std::vector<RequestEvent> events;
  std::optional<FaxNumber> activation;
  // Composes the notifications the events cause; none when empty.
  OutboxComposer notify;
};

// An idempotency key's state when a request presents it.
struct StoredResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

enum class IdempotencyState {
  kClaimed,     // new (or expired): the caller runs the request, then finishes or releases
  kInProgress,  // the first request with this key is still running
  kMismatch,    // the key was used with a different request
  kReplay,      // the key's first request finished; here is its response
};

struct IdempotencyClaim {
  IdempotencyState state = IdempotencyState::kClaimed;
  StoredResponse response;  // for kReplay
};

// A token together with the user it acts for.
struct TokenGrant {
  ApiToken token;
  User user;
};

// Store is numberdesk's durable state. Every method is atomic: it either
// happens completely or not at all, and a method that returns has committed
// durably. Implementations are thread-safe. Methods throw StoreError on
// database failure and ConflictError where documented; "not found" is an
// empty optional, never an exception.
class Store {
 public:
  virtual ~Store() = default;

  // Accounts and users.
  // CreateAccount throws ConflictError if the name is taken (in any case).
  virtual Account CreateAccount(std::string_view name) = 0;
  virtual std::optional<Account> FindAccount(std::string_view id) = 0;
  virtual std::optional<Account> FindAccountByName(std::string_view name) = 0;
  virtual void SetDefaultUser(std::string_view account_id, std::string_view user_id) = 0;

  // CreateUser assigns the id and creation time of `user` and returns it.
  // Throws ConflictError if the username is taken (in any case).
  virtual User CreateUser(User user) = 0;
  virtual std::optional<User> FindUser(std::string_view id) = 0;
  virtual std::optional<User> FindUserByUsername(std::string_view username) = 0;

  // API tokens. Only the hash of a token's secret is ever stored.
  virtual ApiToken CreateToken(ApiToken token, std::string_view secret_hash) = 0;
  virtual std::optional<TokenGrant> FindTokenByHash(std::string_view secret_hash) = 0;
  virtual void RecordTokenUse(std::string_view token_id, std::string_view at) = 0;
  // RevokeToken returns false if there is no such token.
  virtual bool RevokeToken(std::string_view token_id, std::string_view at) = 0;

  // Requests. CreateRequest stores the request, its documents' metadata and
  // its first event in one transaction. It stamps the request's created_at
  // and updated_at, each document's created_at and the event's occurred_at
  // with one time taken while holding the write lock, and never earlier than
  // the previous request's created_at, so "newest first" by storage order is
  // also newest first by created_at. The caller reads the stamped values
  // back from its arguments; on an exception they are unspecified.
  // `notify` composes the notifications of the first event; they are stored
  // in the same transaction, stamped with the same time.
  virtual void CreateRequest(NumberRequest& request, std::vector<StoredDocument>& documents,
                             RequestEvent& first_event, const OutboxComposer& notify = {}) = 0;
  // FindRequest returns the request only if it belongs to `account_id`.
  virtual std::optional<NumberRequest> FindRequest(std::string_view account_id,
                                                   std::string_view request_id) = 0;
  // ListRequests returns up to `limit` requests of `account_id` matching
  // `filter`, newest first. With a `cursor` (a next_cursor it returned) it
  // continues after that request. It throws std::invalid_argument if
  // `cursor` is not the id of a request of `account_id`.
  virtual RequestPage ListRequests(std::string_view account_id, const RequestFilter& filter,
                                   const std::optional<std::string>& cursor, int limit) = 0;
  // DocumentsOf lists a request's documents in the order they were stored,
  // the order in which the request that stored them listed them.
  virtual std::vector<RequestDocument> DocumentsOf(std::string_view request_id) = 0;
  virtual std::optional<StoredDocument> FindDocument(std::string_view request_id,
                                                     std::string_view document_id) = 0;
  // EventsOf lists a request's timeline, oldest first; internal events only
  // when `include_internal`.
  virtual std::vector<RequestEvent> EventsOf(std::string_view request_id,
                                             bool include_internal) = 0;

  // CreateRequest throws OpenPortInError, and stores nothing, for a port-in
  // of a number that has an open port-in already, and NumberActiveError for
  // a port-in of a number active on any account (both checked under the
  // write lock, so two at once cannot both pass).
  //
  // The workflow. FindAnyRequest finds a request of any account, for staff.
  virtual std::optional<NumberRequest> FindAnyRequest(std::string_view request_id) = 0;
  // ListQueue returns up to `limit` requests of every account matching
  // `filter`, the longest waiting first (oldest status_changed_at). The
  // cursor is opaque; std::invalid_argument if it is not one ListQueue gave.
  virtual RequestPage ListQueue(const QueueFilter& filter, const std::optional<std::string>& cursor,
                                int limit) = 0;
  // ApplyChange stamps the change's events, documents and activation with
  // one time taken under the write lock, and applies it. A status move bumps
  // the version and sets status_changed_at; every change sets updated_at.
  // Throws StaleRequestError and RequestClosedError (see RequestChange),
  // NumberActiveError if the activated number is already active,
  // OpenPortInError if another request has an open port-in of it, and
  // StoreError if there is no such request; on any exception nothing is
  // changed.
  virtual void ApplyChange(RequestChange& change) = 0;

  // The numbers inventory.
  virtual std::vector<FaxNumber> ActiveNumbers(std::string_view account_id) = 0;
  virtual std::vector<User> UsersOf(std::string_view account_id) = 0;
  // SetUserActive returns false if there is no such user.
  virtual bool SetUserActive(std::string_view user_id, bool active) = 0;

  // Idempotency keys, scoped to the user presenting them. ClaimIdempotencyKey
  // claims `key` for a request with `fingerprint`, or says why not; a key
  // older than `expired_before` (RFC 3339) counts as new. A claimed key must
  // be finished with the response to keep, or released if there is none; a
  // claim neither finished nor released by `abandoned_before` (its server
  // stopped mid-request) may be claimed again.
  virtual IdempotencyClaim ClaimIdempotencyKey(std::string_view user_id, std::string_view key,
                                               std::string_view fingerprint,
                                               std::string_view expired_before,
                                               std::string_view abandoned_before) = 0;
  virtual void FinishIdempotencyKey(std::string_view user_id, std::string_view key,
                                    const StoredResponse& response) = 0;
  virtual void ReleaseIdempotencyKey(std::string_view user_id, std::string_view key) = 0;

  // The outbox. ClaimDueOutbox returns up to `limit` pending messages of
  // `channel` due at `now`, oldest first, counts an attempt for each and
  // leases them until `lease_until`: they are not due again before then, so
  // a server that stops mid-delivery leaves them to be retried after the
  // lease. MarkOutboxSent and MarkOutboxAttemptFailed record the outcome;
  // the latter retries at `retry_at`, or marks the message failed for good
  // without one.
  virtual std::vector<OutboxMessage> ClaimDueOutbox(OutboxChannel channel, std::string_view now,
                                                    std::string_view lease_until, int limit) = 0;
  virtual void MarkOutboxSent(std::string_view id, std::string_view at) = 0;
  virtual void MarkOutboxAttemptFailed(std::string_view id, std::string_view error,
                                       const std::optional<std::string>& retry_at) = 0;
  // ListOutbox lists the newest `limit` messages in `state`, for staff.
  virtual std::vector<OutboxMessage> ListOutbox(OutboxState state, int limit) = 0;
  // RetryOutbox makes failed message `id` pending and due at `at` with a
  // fresh count of attempts (0, so that it gets the retry policy's full
  // number of attempts again). A webhook delivery whose webhook was deleted
  // is left as it is: it has nowhere to go.
  virtual OutboxRetry RetryOutbox(std::string_view id, std::string_view at) = 0;

  // Webhooks.
  virtual Webhook CreateWebhook(Webhook webhook) = 0;
  virtual std::vector<Webhook> WebhooksOf(std::string_view account_id) = 0;
  virtual std::optional<Webhook> FindWebhook(std::string_view id) = 0;
  // DeleteWebhook returns false if `account_id` has no such webhook.
  virtual bool DeleteWebhook(std::string_view account_id, std::string_view id,
                             std::string_view at) = 0;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_STORAGE_STORE_H_
