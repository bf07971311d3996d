// Tests of the SQLite store's workflow methods: ApplyChange, the support
// queue, the numbers inventory, users of an account and idempotency keys.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <latch>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "domain/timestamps.h"
#include "security/random_ids.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/store_test_builders.h"

namespace numberdesk {
namespace {

using store_testing::AdminOf;
using store_testing::RequestBy;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using Strings = std::vector<std::string>;

std::string Now() {
  return FormatRfc3339(std::chrono::system_clock::now());
}

// An RFC 3339 time `offset` from now, for the idempotency windows.
std::string NowPlus(std::chrono::system_clock::duration offset) {
  return FormatRfc3339(std::chrono::system_clock::now() + offset);
}

// Lets the millisecond clock move on, so times stamped before and after differ.
void Tick() {
  std::this_thread::sleep_for(5ms);
}

Strings IdsOf(const std::vector<NumberRequest>& requests) {
  Strings ids;
  for (const NumberRequest& request : requests)
    ids.push_back(request.id);
  return ids;
}

Strings EventIdsOf(const std::vector<RequestEvent>& events) {
  Strings ids;
  for (const RequestEvent& event : events)
    ids.push_back(event.id);
  return ids;
}

QueueFilter QueueOf(std::optional<RequestStatus> status = std::nullopt,
                    std::optional<RequestType> type = std::nullopt,
                    std::optional<std::string> account_id = std::nullopt) {
  QueueFilter filter;
  filter.status = status;
  filter.type = type;
  filter.account_id = std::move(account_id);
  return filter;
}

// Each test gets its own database in a fresh temporary folder, removed after.
class WorkflowStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("numberdesk-workflow-" + HexEncode(RandomBytes(8)));
    fs::create_directories(folder_);
    store_ = std::make_unique<SqliteStore>(folder_ / "numberdesk.db");
    account_ = store_->CreateAccount("Acme Fax");
    admin_ = store_->CreateUser(AdminOf(account_, "acme-admin"));
    User agent;
    agent.username = "support-1";
    agent.email = "support@provider.example";
    agent.role = UserRole::kSupportAgent;
    agent_ = store_->CreateUser(agent);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  static User FaxUserOf(const Account& account, std::string username) {
    User user;
    user.account_id = account.id;
    user.username = std::move(username);
    user.email = user.username + "@example.com";
    user.role = UserRole::kFaxUser;
    return user;
  }

  static RequestEvent SubmittedBy(const User& actor) {
    RequestEvent event;
    event.id = NewId("evt_");
    event.actor_user_id = actor.id;
    event.kind = EventKind::kStatusChange;
    event.new_status = RequestStatus::kSubmitted;
    event.note = "Request submitted.";
    return event;
  }

  static RequestEvent EventBy(const User& actor, EventKind kind, std::optional<RequestStatus> from,
                              RequestStatus to, std::string note,
                              EventVisibility visibility = EventVisibility::kCustomer) {
    RequestEvent event;
    event.id = NewId("evt_");
    event.actor_user_id = actor.id;
    event.kind = kind;
    event.old_status = from;
    event.new_status = to;
    event.note = std::move(note);
    event.visibility = visibility;
    event.occurred_at = "2001-01-01T00:00:00.000Z";  // ApplyChange must restamp it
    return event;
  }

  static StoredDocument DocumentOf(DocumentKind kind, std::string file_name) {
    StoredDocument stored;
    stored.document.id = NewId("doc_");
    stored.document.kind = kind;
    stored.document.file_name = std::move(file_name);
    stored.document.content_type = "application/pdf";
    stored.document.size_bytes = 1234;
    stored.document.sha256 = std::string(64, 'a');
    stored.document.page_count = 2;
    stored.document.created_at = "2001-01-01T00:00:00.000Z";  // the store must restamp it
    stored.storage_path = "ab/" + stored.document.id + ".pdf";
    return stored;
  }

  // Stores `request` with a first event by its requester; `request` gets the
  // stamped times.
  void Create(NumberRequest& request, std::vector<StoredDocument> documents = {}) {
    RequestEvent event = SubmittedBy(admin_);
    event.actor_user_id = request.requester_user_id;
    store_->CreateRequest(request, documents, event);
  }

  // Stores a request of `type` by `requester` and returns it as stored.
  NumberRequest StoreRequest(const User& requester, RequestType type = RequestType::kTollFree) {
    NumberRequest request = RequestBy(requester, type);
    if (type == RequestType::kPortIn) {
      // Each its own number: only one port-in of a number may be open.
      request.number_to_port = "+1978263" + std::to_string(2000 + stored_port_ins_++);
    }
    Create(request);
    return request;
  }

  NumberRequest Stored(const std::string& request_id) {
    std::optional<NumberRequest> found = store_->FindAnyRequest(request_id);
    if (!found) throw std::logic_error("no request " + request_id);
    return *found;
  }

  // A change moving `request_id` from its stored status to `to`, at its
  // stored version, with a status-change event by the support agent.
  RequestChange MoveTo(const std::string& request_id, RequestStatus to) {
    NumberRequest request = Stored(request_id);
    RequestChange change;
    change.request_id = request_id;
    change.expected_version = request.version;
    change.new_status = to;
    change.events.push_back(
        EventBy(agent_, EventKind::kStatusChange, request.status, to, "Status changed."));
    return change;
  }

  // Moves `request_id` to `to` and returns the change as applied.
  RequestChange Move(const std::string& request_id, RequestStatus to) {
    RequestChange change = MoveTo(request_id, to);
    store_->ApplyChange(change);
    return change;
  }

  // A change that completes `request` with `number`, activated for `assignee`.
  RequestChange CompleteWith(const NumberRequest& request, const std::string& number,
                             const User& assignee) {
    RequestChange change = MoveTo(request.id, RequestStatus::kCompleted);
    change.number = number;
    FaxNumber activation;
    activation.id = NewId("num_");
    activation.number = number;
    activation.account_id = request.account_id;
    activation.request_id = request.id;
    activation.assigned_user_id = assignee.id;
    activation.assigned_username = assignee.username;
    change.activation = activation;
    return change;
  }

  IdempotencyClaim Claim(const User& user, const std::string& key, const std::string& fingerprint,
                         const std::string& expired_before, const std::string& abandoned_before) {
    return store_->ClaimIdempotencyKey(user.id, key, fingerprint, expired_before, abandoned_before);
  }

  // A claim with the usual windows: keys kept a day, claims abandoned after
  // ten minutes; nothing just claimed is expired or abandoned.
  IdempotencyClaim Claim(const User& user, const std::string& key, const std::string& fingerprint) {
    return Claim(user, key, fingerprint, NowPlus(-24h), NowPlus(-10min));
  }

  fs::path folder_;
  std::unique_ptr<SqliteStore> store_;
  Account account_;
  User admin_;
  User agent_;
  int stored_port_ins_ = 0;
};

// ApplyChange: status moves.

TEST_F(WorkflowStoreTest, AppliesStatusMoveAtTheExpectedVersion) {
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  StoredDocument loa = DocumentOf(DocumentKind::kLoa, "loa.pdf");
  Create(request, {loa});
  Tick();
  RequestChange change = MoveTo(request.id, RequestStatus::kSubmittedToCarrier);
  change.carrier_reference = "ORD-1001";
  change.foc_date = "2026-12-15";
  change.events.push_back(EventBy(agent_, EventKind::kNote, RequestStatus::kSubmittedToCarrier,
                                  RequestStatus::kSubmittedToCarrier, "Carrier emailed.",
                                  EventVisibility::kInternal));
  StoredDocument bill = DocumentOf(DocumentKind::kBill, "bill.pdf");
  bill.document.event_id = change.events[0].id;
  change.documents.push_back(bill);
  std::string before = Now();

  store_->ApplyChange(change);

  std::string stamped = change.events[0].occurred_at;
  EXPECT_GE(stamped, before);
  EXPECT_LE(stamped, Now());
  EXPECT_GT(stamped, request.created_at);
  EXPECT_EQ(change.events[1].occurred_at, stamped);
  EXPECT_EQ(change.documents[0].document.created_at, stamped);
  EXPECT_EQ(change.events[0].request_id, request.id);
  EXPECT_EQ(change.documents[0].document.request_id, request.id);

  NumberRequest found = Stored(request.id);
  EXPECT_EQ(found.status, RequestStatus::kSubmittedToCarrier);
  EXPECT_EQ(found.version, request.version + 1);
  EXPECT_EQ(found.status_changed_at, stamped);
  EXPECT_EQ(found.updated_at, stamped);
  EXPECT_EQ(found.created_at, request.created_at);
  EXPECT_EQ(found.carrier_reference, "ORD-1001");
  EXPECT_EQ(found.foc_date, "2026-12-15");
  EXPECT_FALSE(found.number.has_value());

  std::vector<RequestEvent> all = store_->EventsOf(request.id, true);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].kind, EventKind::kStatusChange);
  EXPECT_EQ(all[0].new_status, RequestStatus::kSubmitted);
  EXPECT_EQ(all[1].id, change.events[0].id);
  EXPECT_EQ(all[1].kind, EventKind::kStatusChange);
  EXPECT_EQ(all[1].old_status, RequestStatus::kSubmitted);
  EXPECT_EQ(all[1].new_status, RequestStatus::kSubmittedToCarrier);
  EXPECT_EQ(all[1].actor_username, "support-1");
  EXPECT_EQ(all[1].occurred_at, stamped);
  EXPECT_EQ(all[1].visibility, EventVisibility::kCustomer);
  EXPECT_EQ(all[2].id, change.events[1].id);
  EXPECT_EQ(all[2].kind, EventKind::kNote);
  EXPECT_EQ(all[2].note, "Carrier emailed.");
  EXPECT_EQ(all[2].visibility, EventVisibility::kInternal);

  std::vector<RequestEvent> customer = store_->EventsOf(request.id, false);
  EXPECT_EQ(EventIdsOf(customer), (Strings{all[0].id, change.events[0].id}));

  std::vector<RequestDocument> documents = store_->DocumentsOf(request.id);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].id, loa.document.id);
  EXPECT_FALSE(documents[0].event_id.has_value());
  EXPECT_EQ(documents[1].id, bill.document.id);
  EXPECT_EQ(documents[1].kind, DocumentKind::kBill);
  EXPECT_EQ(documents[1].event_id, change.events[0].id);
  EXPECT_EQ(documents[1].created_at, stamped);
  std::optional<StoredDocument> stored_bill = store_->FindDocument(request.id, bill.document.id);
  ASSERT_TRUE(stored_bill.has_value());
  EXPECT_EQ(stored_bill->storage_path, bill.storage_path);
}

TEST_F(WorkflowStoreTest, EachStatusMoveBumpsTheVersionOnce) {
  NumberRequest request = StoreRequest(admin_);

  Move(request.id, RequestStatus::kInProgress);
  Move(request.id, RequestStatus::kAwaitingCustomer);
  Move(request.id, RequestStatus::kInProgress);

  NumberRequest found = Stored(request.id);
  EXPECT_EQ(found.status, RequestStatus::kInProgress);
  EXPECT_EQ(found.version, request.version + 3);
  EXPECT_EQ(store_->EventsOf(request.id, true).size(), 4u);
}

TEST_F(WorkflowStoreTest, RefusesStaleVersionAndChangesNothing) {
  NumberRequest request = StoreRequest(admin_);
  RequestChange first = MoveTo(request.id, RequestStatus::kInProgress);
  RequestChange late = MoveTo(request.id, RequestStatus::kRejected);  // same version as `first`
  late.carrier_reference = "ORD-LATE";
  late.documents.push_back(DocumentOf(DocumentKind::kAttachment, "late.pdf"));
  store_->ApplyChange(first);
  NumberRequest before = Stored(request.id);
  Tick();

  EXPECT_THROW(store_->ApplyChange(late), StaleRequestError);

  NumberRequest after = Stored(request.id);
  EXPECT_EQ(after.status, RequestStatus::kInProgress);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.updated_at, before.updated_at);
  EXPECT_EQ(after.status_changed_at, before.status_changed_at);
  EXPECT_FALSE(after.carrier_reference.has_value());
  std::vector<RequestEvent> events = store_->EventsOf(request.id, true);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].id, first.events[0].id);
  EXPECT_EQ(events[1].new_status, RequestStatus::kInProgress);
  EXPECT_TRUE(store_->DocumentsOf(request.id).empty());
}

TEST_F(WorkflowStoreTest, RefusesAVersionAheadOfTheStoredOne) {
  NumberRequest request = StoreRequest(admin_);
  RequestChange change = MoveTo(request.id, RequestStatus::kInProgress);
  change.expected_version = request.version + 1;

  EXPECT_THROW(store_->ApplyChange(change), StaleRequestError);

  EXPECT_EQ(Stored(request.id).status, RequestStatus::kSubmitted);
  EXPECT_EQ(Stored(request.id).version, request.version);
}

TEST_F(WorkflowStoreTest, OnlyOneOfTwoConcurrentMovesAtTheSameVersionWins) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    NumberRequest request = StoreRequest(admin_);
    RequestChange to_progress = MoveTo(request.id, RequestStatus::kInProgress);
    RequestChange to_rejected = MoveTo(request.id, RequestStatus::kRejected);
    std::atomic<int> applied = 0;
    std::atomic<int> stale = 0;
    std::atomic<int> other = 0;
    std::latch start(2);
    auto apply = [&](RequestChange& change) {
      start.arrive_and_wait();
      try {
        store_->ApplyChange(change);
        ++applied;
      } catch (const StaleRequestError&) {
        ++stale;
      } catch (...) {
        ++other;
      }
    };
    std::thread a([&] { apply(to_progress); });
    std::thread b([&] { apply(to_rejected); });
    a.join();
    b.join();

    EXPECT_EQ(applied.load(), 1) << "round " << round;
    EXPECT_EQ(stale.load(), 1) << "round " << round;
    EXPECT_EQ(other.load(), 0) << "round " << round;
    NumberRequest found = Stored(request.id);
    EXPECT_EQ(found.version, request.version + 1) << "round " << round;
    EXPECT_TRUE(found.status == RequestStatus::kInProgress ||
                found.status == RequestStatus::kRejected)
        << "round " << round;
    std::vector<RequestEvent> events = store_->EventsOf(request.id, true);
    ASSERT_EQ(events.size(), 2u) << "round " << round;
    EXPECT_EQ(events[1].new_status, found.status) << "round " << round;
  }
}

TEST_F(WorkflowStoreTest, MessageKeepsStatusVersionAndWaitingTime) {
  NumberRequest request = StoreRequest(admin_, RequestType::kPortIn);
  Move(request.id, RequestStatus::kAwaitingCustomer);
  NumberRequest before = Stored(request.id);
  Tick();
  RequestChange message;
  message.request_id = request.id;
  message.events.push_back(EventBy(admin_, EventKind::kMessage, RequestStatus::kAwaitingCustomer,
                                   RequestStatus::kAwaitingCustomer, "Here is the bill."));
  StoredDocument attachment = DocumentOf(DocumentKind::kAttachment, "bill-scan.pdf");
  attachment.document.event_id = message.events[0].id;
  message.documents.push_back(attachment);

  store_->ApplyChange(message);

  NumberRequest after = Stored(request.id);
  EXPECT_EQ(after.status, RequestStatus::kAwaitingCustomer);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.status_changed_at, before.status_changed_at);
  EXPECT_EQ(after.updated_at, message.events[0].occurred_at);
  EXPECT_GT(after.updated_at, before.updated_at);
  std::vector<RequestEvent> events = store_->EventsOf(request.id, false);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].id, message.events[0].id);
  EXPECT_EQ(events[2].kind, EventKind::kMessage);
  EXPECT_EQ(events[2].note, "Here is the bill.");
  EXPECT_EQ(events[2].actor_username, "acme-admin");
  std::vector<RequestDocument> documents = store_->DocumentsOf(request.id);
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].kind, DocumentKind::kAttachment);
  EXPECT_EQ(documents[0].event_id, message.events[0].id);
}

TEST_F(WorkflowStoreTest, MessageAtTheExpectedVersionKeepsTheVersion) {
  NumberRequest request = StoreRequest(admin_);
  RequestChange note;
  note.request_id = request.id;
  note.expected_version = request.version;
  note.events.push_back(EventBy(agent_, EventKind::kNote, RequestStatus::kSubmitted,
                                RequestStatus::kSubmitted, "Looked at it.",
                                EventVisibility::kInternal));

  store_->ApplyChange(note);

  EXPECT_EQ(Stored(request.id).version, request.version);
  EXPECT_EQ(store_->EventsOf(request.id, false).size(), 1u);
  EXPECT_EQ(store_->EventsOf(request.id, true).size(), 2u);
}

// A customer's reply checks that the request is open in the same transaction
// that stores it, so a reply racing a cancel cannot land on a closed request.
TEST_F(WorkflowStoreTest, ChangeThatNeedsAnOpenRequestIsRefusedOnceClosedAndWritesNothing) {
  NumberRequest request = StoreRequest(admin_, RequestType::kPortIn);
  Move(request.id, RequestStatus::kCancelled);
  NumberRequest before = Stored(request.id);
  Strings events_before = EventIdsOf(store_->EventsOf(request.id, true));
  std::size_t documents_before = store_->DocumentsOf(request.id).size();
  RequestChange reply;
  reply.request_id = request.id;
  reply.require_open = true;
  reply.events.push_back(EventBy(admin_, EventKind::kMessage, RequestStatus::kCancelled,
                                 RequestStatus::kCancelled, "Still there?"));
  StoredDocument attachment = DocumentOf(DocumentKind::kAttachment, "late.pdf");
  attachment.document.event_id = reply.events[0].id;
  reply.documents.push_back(attachment);

  EXPECT_THROW(store_->ApplyChange(reply), RequestClosedError);

  NumberRequest after = Stored(request.id);
  EXPECT_EQ(after.status, RequestStatus::kCancelled);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.updated_at, before.updated_at);
  EXPECT_EQ(EventIdsOf(store_->EventsOf(request.id, true)), events_before);
  EXPECT_EQ(store_->DocumentsOf(request.id).size(), documents_before);
}

TEST_F(WorkflowStoreTest, ChangeThatNeedsAnOpenRequestIsAppliedWhileOpen) {
  NumberRequest request = StoreRequest(admin_, RequestType::kPortIn);
  RequestChange reply;
  reply.request_id = request.id;
  reply.require_open = true;
  reply.events.push_back(EventBy(admin_, EventKind::kMessage, RequestStatus::kSubmitted,
                                 RequestStatus::kSubmitted, "Any news?"));

  std::size_t events_before = store_->EventsOf(request.id, true).size();

  store_->ApplyChange(reply);

  std::vector<RequestEvent> events = store_->EventsOf(request.id, true);
  ASSERT_EQ(events.size(), events_before + 1);
  EXPECT_EQ(events.back().note, "Any news?");
}

TEST_F(WorkflowStoreTest, RefusesChangeOfUnknownRequest) {
  RequestChange change;
  change.request_id = "req_missing";
  change.new_status = RequestStatus::kInProgress;

  EXPECT_THROW(store_->ApplyChange(change), StoreError);
  EXPECT_FALSE(store_->FindAnyRequest("req_missing").has_value());
}

// ApplyChange: activation and the numbers inventory.

TEST_F(WorkflowStoreTest, ActivationListsTheNumberWithItsAssignee) {
  User receiver = store_->CreateUser(FaxUserOf(account_, "front-desk"));
  NumberRequest request = StoreRequest(admin_);
  RequestChange change = CompleteWith(request, "+18885550100", receiver);

  store_->ApplyChange(change);

  ASSERT_TRUE(change.activation.has_value());
  EXPECT_EQ(change.activation->activated_at, change.events[0].occurred_at);
  std::vector<FaxNumber> numbers = store_->ActiveNumbers(account_.id);
  ASSERT_EQ(numbers.size(), 1u);
  EXPECT_EQ(numbers[0].id, change.activation->id);
  EXPECT_EQ(numbers[0].number, "+18885550100");
  EXPECT_EQ(numbers[0].account_id, account_.id);
  EXPECT_EQ(numbers[0].request_id, request.id);
  EXPECT_EQ(numbers[0].assigned_user_id, receiver.id);
  EXPECT_EQ(numbers[0].assigned_username, "front-desk");
  EXPECT_EQ(numbers[0].activated_at, change.activation->activated_at);
  NumberRequest found = Stored(request.id);
  EXPECT_EQ(found.status, RequestStatus::kCompleted);
  EXPECT_EQ(found.number, "+18885550100");
}

TEST_F(WorkflowStoreTest, ListsActiveNumbersOfTheAccountOnlyInNumberOrder) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest first = StoreRequest(admin_);
  NumberRequest second = StoreRequest(admin_);
  NumberRequest theirs = StoreRequest(other_admin);
  RequestChange high = CompleteWith(first, "+18885550199", admin_);
  RequestChange low = CompleteWith(second, "+18885550101", admin_);
  RequestChange other_number = CompleteWith(theirs, "+18885550150", other_admin);
  store_->ApplyChange(high);
  store_->ApplyChange(low);
  store_->ApplyChange(other_number);

  std::vector<FaxNumber> numbers = store_->ActiveNumbers(account_.id);

  ASSERT_EQ(numbers.size(), 2u);
  EXPECT_EQ(numbers[0].number, "+18885550101");
  EXPECT_EQ(numbers[1].number, "+18885550199");
  ASSERT_EQ(store_->ActiveNumbers(other.id).size(), 1u);
  EXPECT_EQ(store_->ActiveNumbers(other.id)[0].assigned_username, "other-admin");
  EXPECT_TRUE(store_->ActiveNumbers("acc_missing").empty());
}

TEST_F(WorkflowStoreTest, RefusesActivatingANumberActiveOnTheSameAccount) {
  NumberRequest first = StoreRequest(admin_);
  NumberRequest second = StoreRequest(admin_);
  RequestChange winner = CompleteWith(first, "+18885550100", admin_);
  store_->ApplyChange(winner);
  RequestChange again = CompleteWith(second, "+18885550100", admin_);

  try {
    store_->ApplyChange(again);
    ADD_FAILURE() << "expected NumberActiveError";
  } catch (const NumberActiveError& error) {
    EXPECT_EQ(error.number, "+18885550100");
    EXPECT_EQ(error.account_id, account_.id);
  }

  NumberRequest found = Stored(second.id);
  EXPECT_EQ(found.status, RequestStatus::kSubmitted);
  EXPECT_EQ(found.version, second.version);
  EXPECT_FALSE(found.number.has_value());
  EXPECT_EQ(store_->EventsOf(second.id, true).size(), 1u);
  ASSERT_EQ(store_->ActiveNumbers(account_.id).size(), 1u);
  EXPECT_EQ(store_->ActiveNumbers(account_.id)[0].request_id, first.id);
}

TEST_F(WorkflowStoreTest, RefusesActivatingANumberActiveOnAnotherAccountAndWritesNothing) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest mine = StoreRequest(admin_);
  NumberRequest theirs = StoreRequest(other_admin, RequestType::kPortIn);
  RequestChange first = CompleteWith(mine, "+19782635555", admin_);
  store_->ApplyChange(first);
  NumberRequest before = Stored(theirs.id);
  Tick();
  RequestChange steal = CompleteWith(theirs, "+19782635555", other_admin);
  steal.carrier_reference = "ORD-2";
  steal.documents.push_back(DocumentOf(DocumentKind::kAttachment, "proof.pdf"));

  try {
    store_->ApplyChange(steal);
    ADD_FAILURE() << "expected NumberActiveError";
  } catch (const NumberActiveError& error) {
    EXPECT_EQ(error.number, "+19782635555");
    EXPECT_EQ(error.account_id, account_.id);
  }

  NumberRequest after = Stored(theirs.id);
  EXPECT_EQ(after.status, RequestStatus::kSubmitted);
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.updated_at, before.updated_at);
  EXPECT_EQ(after.status_changed_at, before.status_changed_at);
  EXPECT_FALSE(after.number.has_value());
  EXPECT_FALSE(after.carrier_reference.has_value());
  EXPECT_EQ(store_->EventsOf(theirs.id, true).size(), 1u);
  EXPECT_TRUE(store_->DocumentsOf(theirs.id).empty());
  EXPECT_TRUE(store_->ActiveNumbers(other.id).empty());
  ASSERT_EQ(store_->ActiveNumbers(account_.id).size(), 1u);
  EXPECT_EQ(store_->ActiveNumbers(account_.id)[0].request_id, mine.id);
}

// Port-ins: one open port-in per number.

TEST_F(WorkflowStoreTest, RefusesSecondOpenPortInOfANumberNamingTheFirst) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest first = RequestBy(admin_, RequestType::kPortIn);
  Create(first);
  Move(first.id, RequestStatus::kSubmittedToCarrier);
  NumberRequest second = RequestBy(other_admin, RequestType::kPortIn);
  ASSERT_EQ(second.number_to_port, first.number_to_port);

  try {
    Create(second);
    ADD_FAILURE() << "expected OpenPortInError";
  } catch (const OpenPortInError& error) {
    EXPECT_EQ(error.request_id, first.id);
    EXPECT_EQ(error.account_id, account_.id);
  }

  EXPECT_FALSE(store_->FindAnyRequest(second.id).has_value());
  EXPECT_TRUE(store_->ListRequests(other.id, {}, std::nullopt, 10).requests.empty());
}

TEST_F(WorkflowStoreTest, AcceptsPortInOfANumberOnceTheOpenOneIsCancelled) {
  NumberRequest first = RequestBy(admin_, RequestType::kPortIn);
  Create(first);
  NumberRequest refused = RequestBy(admin_, RequestType::kPortIn);
  EXPECT_THROW(Create(refused), OpenPortInError);

  Move(first.id, RequestStatus::kCancelled);
  NumberRequest second = RequestBy(admin_, RequestType::kPortIn);
  Create(second);

  EXPECT_TRUE(store_->FindAnyRequest(second.id).has_value());
  // The new one is open now, so a third is refused again, naming the second.
  NumberRequest third = RequestBy(admin_, RequestType::kPortIn);
  try {
    Create(third);
    ADD_FAILURE() << "expected OpenPortInError";
  } catch (const OpenPortInError& error) {
    EXPECT_EQ(error.request_id, second.id);
  }
}

TEST_F(WorkflowStoreTest, OnlyOneOfTwoConcurrentPortInsOfANumberIsStored) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    NumberRequest first = RequestBy(admin_, RequestType::kPortIn);
    NumberRequest second = RequestBy(admin_, RequestType::kPortIn);
    first.number_to_port = "+1978264" + std::to_string(1000 + round);
    second.number_to_port = first.number_to_port;
    std::atomic<int> stored = 0;
    std::atomic<int> refused = 0;
    std::latch start(2);
    auto create = [&](NumberRequest& request) {
      start.arrive_and_wait();
      try {
        Create(request);
        ++stored;
      } catch (const OpenPortInError&) {
        ++refused;
      }
    };
    std::thread a([&] { create(first); });
    std::thread b([&] { create(second); });
    a.join();
    b.join();

    EXPECT_EQ(stored.load(), 1) << "round " << round;
    EXPECT_EQ(refused.load(), 1) << "round " << round;
    EXPECT_NE(store_->FindAnyRequest(first.id).has_value(),
              store_->FindAnyRequest(second.id).has_value())
        << "round " << round;
  }
}

TEST_F(WorkflowStoreTest, AcceptsPortInOfAnotherNumber) {
  NumberRequest first = RequestBy(admin_, RequestType::kPortIn);
  Create(first);
  NumberRequest other = RequestBy(admin_, RequestType::kPortIn);
  other.number_to_port = "+19782639999";

  Create(other);

  EXPECT_TRUE(store_->FindAnyRequest(other.id).has_value());
}

// The support queue.

TEST_F(WorkflowStoreTest, FindsAnyAccountsRequest) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest theirs = StoreRequest(other_admin);

  std::optional<NumberRequest> found = store_->FindAnyRequest(theirs.id);

  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->account_id, other.id);
  EXPECT_FALSE(store_->FindRequest(account_.id, theirs.id).has_value());
  EXPECT_FALSE(store_->FindAnyRequest("req_missing").has_value());
}

TEST_F(WorkflowStoreTest, QueueHoldsOpenRequestsOfEveryAccountLongestWaitingFirst) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest a = StoreRequest(admin_);
  Tick();
  NumberRequest b = StoreRequest(other_admin, RequestType::kPortIn);
  Tick();
  NumberRequest c = StoreRequest(admin_, RequestType::kNonTollFree);
  Tick();
  NumberRequest completed = StoreRequest(admin_);
  NumberRequest rejected = StoreRequest(other_admin);
  NumberRequest cancelled = StoreRequest(admin_, RequestType::kPortIn);
  Tick();
  // Moving `a` restarts its wait: it goes to the back of the queue.
  Move(a.id, RequestStatus::kInProgress);
  Move(completed.id, RequestStatus::kCompleted);
  Move(rejected.id, RequestStatus::kRejected);
  Move(cancelled.id, RequestStatus::kCancelled);

  RequestPage page = store_->ListQueue(QueueOf(), std::nullopt, 50);

  EXPECT_EQ(IdsOf(page.requests), (Strings{b.id, c.id, a.id}));
  EXPECT_FALSE(page.next_cursor.has_value());
  for (std::size_t i = 1; i < page.requests.size(); ++i) {
    EXPECT_LE(page.requests[i - 1].status_changed_at, page.requests[i].status_changed_at);
  }
}

TEST_F(WorkflowStoreTest, QueueFiltersByStatusTypeAndAccount) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest toll_free = StoreRequest(admin_, RequestType::kTollFree);
  NumberRequest port_in = StoreRequest(admin_, RequestType::kPortIn);
  NumberRequest their_port_in = StoreRequest(other_admin, RequestType::kPortIn);
  NumberRequest their_local = StoreRequest(other_admin, RequestType::kNonTollFree);
  NumberRequest done = StoreRequest(admin_, RequestType::kPortIn);
  Tick();
  Move(port_in.id, RequestStatus::kFocScheduled);
  Move(their_local.id, RequestStatus::kFocScheduled);
  Move(done.id, RequestStatus::kCompleted);

  EXPECT_EQ(IdsOf(store_->ListQueue(QueueOf(RequestStatus::kSubmitted), std::nullopt, 50).requests),
            (Strings{toll_free.id, their_port_in.id}));
  EXPECT_EQ(
      IdsOf(store_->ListQueue(QueueOf(RequestStatus::kFocScheduled), std::nullopt, 50).requests),
      (Strings{port_in.id, their_local.id}));
  EXPECT_EQ(IdsOf(store_->ListQueue(QueueOf(RequestStatus::kCompleted), std::nullopt, 50).requests),
            (Strings{done.id}));
  EXPECT_EQ(IdsOf(store_->ListQueue(QueueOf(std::nullopt, RequestType::kPortIn), std::nullopt, 50)
                      .requests),
            (Strings{their_port_in.id, port_in.id}));
  EXPECT_EQ(IdsOf(store_->ListQueue(QueueOf(std::nullopt, std::nullopt, other.id), std::nullopt, 50)
                      .requests),
            (Strings{their_port_in.id, their_local.id}));
  EXPECT_EQ(IdsOf(store_
                      ->ListQueue(
                          QueueOf(RequestStatus::kFocScheduled, RequestType::kPortIn, account_.id),
                          std::nullopt, 50)
                      .requests),
            (Strings{port_in.id}));
  EXPECT_TRUE(
      store_
          ->ListQueue(QueueOf(RequestStatus::kCompleted, std::nullopt, other.id), std::nullopt, 50)
          .requests.empty());
}

TEST_F(WorkflowStoreTest, QueuePagesWalkEveryRequestOnce) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  // Stored in a burst, so several share a status_changed_at millisecond.
  Strings stored;
  for (int i = 0; i < 8; ++i)
    stored.push_back(StoreRequest(i % 2 == 0 ? admin_ : other_admin).id);
  Tick();
  Move(stored[1], RequestStatus::kInProgress);  // now the longest waiting is stored[0]
  Strings expected = IdsOf(store_->ListQueue(QueueOf(), std::nullopt, 100).requests);
  ASSERT_EQ(expected.size(), 8u);
  EXPECT_EQ(expected.back(), stored[1]);

  Strings walked;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    RequestPage page = store_->ListQueue(QueueOf(), cursor, 3);
    ASSERT_LE(page.requests.size(), 3u);
    for (const NumberRequest& request : page.requests)
      walked.push_back(request.id);
    cursor = page.next_cursor;
    ++pages;
    if (cursor) {
      EXPECT_EQ(page.requests.size(), 3u);
    }
  } while (cursor && pages < 10);

  EXPECT_EQ(pages, 3);
  EXPECT_EQ(walked, expected);
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size());
}

TEST_F(WorkflowStoreTest, QueueLastFullPageHasNoCursor) {
  for (int i = 0; i < 4; ++i)
    StoreRequest(admin_);

  RequestPage first = store_->ListQueue(QueueOf(), std::nullopt, 2);
  ASSERT_TRUE(first.next_cursor.has_value());
  RequestPage second = store_->ListQueue(QueueOf(), first.next_cursor, 2);

  EXPECT_EQ(second.requests.size(), 2u);
  EXPECT_FALSE(second.next_cursor.has_value());
}

TEST_F(WorkflowStoreTest, QueuePagesThroughAFilter) {
  Strings port_ins;
  for (int i = 0; i < 5; ++i) {
    port_ins.push_back(StoreRequest(admin_, RequestType::kPortIn).id);
    StoreRequest(admin_, RequestType::kTollFree);
  }
  QueueFilter filter = QueueOf(std::nullopt, RequestType::kPortIn);

  RequestPage first = store_->ListQueue(filter, std::nullopt, 2);
  RequestPage second = store_->ListQueue(filter, first.next_cursor, 2);
  RequestPage third = store_->ListQueue(filter, second.next_cursor, 2);

  Strings walked = IdsOf(first.requests);
  for (const std::string& id : IdsOf(second.requests))
    walked.push_back(id);
  for (const std::string& id : IdsOf(third.requests))
    walked.push_back(id);
  EXPECT_EQ(walked, port_ins);
  EXPECT_FALSE(third.next_cursor.has_value());
}

TEST_F(WorkflowStoreTest, QueueRefusesACursorItDidNotGive) {
  std::string request_id = StoreRequest(admin_).id;

  EXPECT_THROW(store_->ListQueue(QueueOf(), std::string("garbage"), 10), std::invalid_argument);
  EXPECT_THROW(store_->ListQueue(QueueOf(), std::string(""), 10), std::invalid_argument);
  EXPECT_THROW(store_->ListQueue(QueueOf(), std::string("q"), 10), std::invalid_argument);
  EXPECT_THROW(store_->ListQueue(QueueOf(), std::string("qzz"), 10), std::invalid_argument);
  EXPECT_THROW(store_->ListQueue(QueueOf(), std::string("q41"), 10), std::invalid_argument);
  EXPECT_THROW(store_->ListQueue(QueueOf(), request_id, 10), std::invalid_argument);
  // A well-formed time with no position after it is not a cursor either.
  EXPECT_THROW(store_->ListQueue(QueueOf(), "q" + HexEncode("2026-12-03T17:30:00.000Z|"), 10),
               std::invalid_argument);
  EXPECT_THROW(store_->ListQueue(QueueOf(), "q" + HexEncode("yesterday|5"), 10),
               std::invalid_argument);
}

// Users of an account.

TEST_F(WorkflowStoreTest, ListsTheAccountsUsersByUsername) {
  Account other = store_->CreateAccount("Other Co");
  store_->CreateUser(AdminOf(other, "other-admin"));
  store_->CreateUser(FaxUserOf(account_, "zoe"));
  store_->CreateUser(FaxUserOf(account_, "bob"));
  store_->CreateUser(FaxUserOf(account_, "mallory"));

  std::vector<User> users = store_->UsersOf(account_.id);

  Strings names;
  for (const User& user : users)
    names.push_back(user.username);
  EXPECT_EQ(names, (Strings{"acme-admin", "bob", "mallory", "zoe"}));
  for (const User& user : users)
    EXPECT_EQ(user.account_id, account_.id);
  EXPECT_EQ(users[0].role, UserRole::kAccountAdmin);
  EXPECT_EQ(users[1].role, UserRole::kFaxUser);
  EXPECT_TRUE(store_->UsersOf("acc_missing").empty());
}

TEST_F(WorkflowStoreTest, SetsUserActiveAndRefusesUnknownUser) {
  User bob = store_->CreateUser(FaxUserOf(account_, "bob"));

  EXPECT_TRUE(store_->SetUserActive(bob.id, false));
  EXPECT_FALSE(store_->FindUser(bob.id)->active);
  EXPECT_TRUE(store_->FindUser(admin_.id)->active);
  EXPECT_FALSE(store_->UsersOf(account_.id)[1].active);

  EXPECT_TRUE(store_->SetUserActive(bob.id, true));
  EXPECT_TRUE(store_->FindUser(bob.id)->active);

  EXPECT_FALSE(store_->SetUserActive("usr_missing", false));
  EXPECT_FALSE(store_->SetUserActive("usr_missing", true));
}

// Idempotency keys.

TEST_F(WorkflowStoreTest, IdempotencyKeyIsClaimedOnceWhileItsRequestRuns) {
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kInProgress);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-b").state, IdempotencyState::kMismatch);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kInProgress);
}

TEST_F(WorkflowStoreTest, OnlyOneOfTwoConcurrentClaimsOfAKeyWins) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    std::string key = "key-" + std::to_string(round);
    std::atomic<int> claimed = 0;
    std::atomic<int> in_progress = 0;
    std::latch start(2);
    auto claim = [&] {
      start.arrive_and_wait();
      IdempotencyState state = Claim(admin_, key, "fp-a").state;
      if (state == IdempotencyState::kClaimed) ++claimed;
      if (state == IdempotencyState::kInProgress) ++in_progress;
    };
    std::thread a(claim);
    std::thread b(claim);
    a.join();
    b.join();

    EXPECT_EQ(claimed.load(), 1) << "round " << round;
    EXPECT_EQ(in_progress.load(), 1) << "round " << round;
  }
}

TEST_F(WorkflowStoreTest, IdempotencyKeysAreScopedToTheirUser) {
  User bob = store_->CreateUser(FaxUserOf(account_, "bob"));
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);

  EXPECT_EQ(Claim(bob, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  EXPECT_EQ(Claim(bob, "key-2", "fp-b").state, IdempotencyState::kClaimed);
}

TEST_F(WorkflowStoreTest, FinishedIdempotencyKeyReplaysItsResponse) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  StoredResponse response;
  response.status = 201;
  response.headers = {{"Location", "/v1/requests/req_1"}, {"Content-Type", "application/json"}};
  response.body = "{\"id\":\"req_1\",\"note\":\"caf\xc3\xa9\"}";

  store_->FinishIdempotencyKey(admin_.id, "key-1", response);

  IdempotencyClaim replay = Claim(admin_, "key-1", "fp-a");
  EXPECT_EQ(replay.state, IdempotencyState::kReplay);
  EXPECT_EQ(replay.response.status, 201);
  EXPECT_EQ(replay.response.headers, response.headers);
  EXPECT_EQ(replay.response.body, response.body);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-b").state, IdempotencyState::kMismatch);
  // Still a replay after a mismatched attempt.
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kReplay);
}

TEST_F(WorkflowStoreTest, FinishedIdempotencyKeyReplaysAnEmptyResponse) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  StoredResponse response;
  response.status = 204;

  store_->FinishIdempotencyKey(admin_.id, "key-1", response);

  IdempotencyClaim replay = Claim(admin_, "key-1", "fp-a");
  EXPECT_EQ(replay.state, IdempotencyState::kReplay);
  EXPECT_EQ(replay.response.status, 204);
  EXPECT_TRUE(replay.response.headers.empty());
  EXPECT_EQ(replay.response.body, "");
}

TEST_F(WorkflowStoreTest, ReleasedIdempotencyKeyCanBeClaimedAgain) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);

  store_->ReleaseIdempotencyKey(admin_.id, "key-1");

  EXPECT_EQ(Claim(admin_, "key-1", "fp-b").state, IdempotencyState::kClaimed);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-b").state, IdempotencyState::kInProgress);
}

TEST_F(WorkflowStoreTest, ReleasingAFinishedIdempotencyKeyKeepsItsResponse) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  StoredResponse response;
  response.status = 200;
  response.body = "{}";
  store_->FinishIdempotencyKey(admin_.id, "key-1", response);

  store_->ReleaseIdempotencyKey(admin_.id, "key-1");

  IdempotencyClaim replay = Claim(admin_, "key-1", "fp-a");
  EXPECT_EQ(replay.state, IdempotencyState::kReplay);
  EXPECT_EQ(replay.response.body, "{}");
}

TEST_F(WorkflowStoreTest, ExpiredIdempotencyKeyIsClaimedAfresh) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  StoredResponse response;
  response.status = 201;
  response.body = "old";
  store_->FinishIdempotencyKey(admin_.id, "key-1", response);

  // Every key stored before a minute from now counts as expired.
  IdempotencyClaim fresh = Claim(admin_, "key-1", "fp-b", NowPlus(1min), NowPlus(-10min));

  EXPECT_EQ(fresh.state, IdempotencyState::kClaimed);
  // The fresh claim is the key's state now: running, with the new fingerprint.
  EXPECT_EQ(Claim(admin_, "key-1", "fp-b").state, IdempotencyState::kInProgress);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kMismatch);
}

TEST_F(WorkflowStoreTest, UnexpiredIdempotencyKeyIsKept) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  StoredResponse response;
  response.status = 201;
  store_->FinishIdempotencyKey(admin_.id, "key-1", response);

  EXPECT_EQ(Claim(admin_, "key-1", "fp-a", NowPlus(-1min), NowPlus(-10min)).state,
            IdempotencyState::kReplay);
}

TEST_F(WorkflowStoreTest, AbandonedIdempotencyClaimIsClaimedAgain) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);

  // Every unfinished claim made before a minute from now counts as abandoned.
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a", NowPlus(-24h), NowPlus(1min)).state,
            IdempotencyState::kClaimed);

  // The new claim is fresh: running, not abandoned.
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kInProgress);
  StoredResponse response;
  response.status = 202;
  store_->FinishIdempotencyKey(admin_.id, "key-1", response);
  EXPECT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kReplay);
}

TEST_F(WorkflowStoreTest, FinishedIdempotencyKeyIsNeverAbandoned) {
  ASSERT_EQ(Claim(admin_, "key-1", "fp-a").state, IdempotencyState::kClaimed);
  StoredResponse response;
  response.status = 201;
  response.body = "first";
  store_->FinishIdempotencyKey(admin_.id, "key-1", response);

  IdempotencyClaim claim = Claim(admin_, "key-1", "fp-a", NowPlus(-24h), NowPlus(1min));

  EXPECT_EQ(claim.state, IdempotencyState::kReplay);
  EXPECT_EQ(claim.response.body, "first");
}

}  // namespace
}  // namespace numberdesk
