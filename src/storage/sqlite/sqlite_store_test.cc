#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "domain/timestamps.h"
#include "security/random_ids.h"
#include "security/tokens.h"
#include "storage/sqlite/store_test_builders.h"

namespace numberdesk {
namespace {

using store_testing::AdminOf;
using store_testing::RequestBy;

namespace fs = std::filesystem;

using Strings = std::vector<std::string>;

std::string Now() {
  return FormatRfc3339(std::chrono::system_clock::now());
}

RequestFilter FilterOf(std::optional<RequestStatus> status, std::optional<RequestType> type) {
  RequestFilter filter;
  filter.status = status;
  filter.type = type;
  return filter;
}

ApiToken TokenOf(const User& user) {
  ApiToken token;
  token.user_id = user.id;
  token.display_prefix = "ndk_0123";
  return token;
}

Strings IdsOf(const std::vector<NumberRequest>& requests) {
  Strings ids;
  for (const NumberRequest& request : requests)
    ids.push_back(request.id);
  return ids;
}

// Each test gets its own database in a fresh temporary folder, removed after.
class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("numberdesk-store-" + HexEncode(RandomBytes(8)));
    fs::create_directories(folder_);
    Open();
    account_ = store_->CreateAccount("Acme Fax");
    admin_ = store_->CreateUser(AdminOf(account_, "acme-admin"));
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  void Open() { store_ = std::make_unique<SqliteStore>(folder_ / "numberdesk.db"); }
  void Reopen() {
    store_.reset();
    Open();
  }

  static RequestEvent SubmittedBy(const User& actor,
                                  EventVisibility visibility = EventVisibility::kCustomer) {
    RequestEvent event;
    event.id = NewId("evt_");
    event.actor_user_id = actor.id;
    event.occurred_at = Now();
    event.new_status = RequestStatus::kSubmitted;
    event.note = "Request submitted.";
    event.visibility = visibility;
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
    stored.document.created_at = Now();
    stored.storage_path = "ab/" + stored.document.id + ".pdf";
    return stored;
  }

  // Create stores `request` with `documents` and `event`; `request` gets the
  // stamped times.
  void Create(NumberRequest& request, std::vector<StoredDocument> documents, RequestEvent event) {
    store_->CreateRequest(request, documents, event);
  }

  // Stores a request of `type` with `status` and returns its id.
  std::string StoreRequest(RequestType type = RequestType::kTollFree,
                           RequestStatus status = RequestStatus::kSubmitted) {
    NumberRequest request = RequestBy(admin_, type);
    request.status = status;
    if (type == RequestType::kPortIn) {
      // Each its own number: only one port-in of a number may be open.
      request.number_to_port = "+1978263" + std::to_string(2000 + stored_port_ins_++);
    }
    Create(request, {}, SubmittedBy(admin_));
    return request.id;
  }

  fs::path folder_;
  std::unique_ptr<SqliteStore> store_;
  Account account_;
  User admin_;
  int stored_port_ins_ = 0;
};

TEST_F(SqliteStoreTest, AppliesEverySchemaVersion) {
  EXPECT_EQ(store_->SchemaVersion(), 3);
}

TEST_F(SqliteStoreTest, CreatesAndFindsAccount) {
  std::optional<Account> by_id = store_->FindAccount(account_.id);
  std::optional<Account> by_name = store_->FindAccountByName("Acme Fax");

  EXPECT_TRUE(account_.id.starts_with("acc_"));
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->name, "Acme Fax");
  EXPECT_EQ(by_id->created_at, account_.created_at);
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, account_.id);
  EXPECT_FALSE(store_->FindAccount("acc_missing").has_value());
  EXPECT_FALSE(store_->FindAccountByName("Nobody Inc").has_value());
}

TEST_F(SqliteStoreTest, RefusesTakenAccountNameInAnyCase) {
  EXPECT_THROW(store_->CreateAccount("ACME FAX"), ConflictError);
}

TEST_F(SqliteStoreTest, SetsDefaultUser) {
  store_->SetDefaultUser(account_.id, admin_.id);

  EXPECT_EQ(store_->FindAccount(account_.id)->default_user_id, admin_.id);
}

TEST_F(SqliteStoreTest, CreatesAndFindsUser) {
  std::optional<User> by_id = store_->FindUser(admin_.id);
  std::optional<User> by_name = store_->FindUserByUsername("acme-admin");

  EXPECT_TRUE(admin_.id.starts_with("usr_"));
  EXPECT_FALSE(admin_.created_at.empty());
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->account_id, account_.id);
  EXPECT_EQ(by_id->username, "acme-admin");
  EXPECT_EQ(by_id->email, "acme-admin@example.com");
  EXPECT_EQ(by_id->role, UserRole::kAccountAdmin);
  EXPECT_TRUE(by_id->can_manage_fax_numbers);
  EXPECT_TRUE(by_id->active);
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, admin_.id);
  EXPECT_FALSE(store_->FindUser("usr_missing").has_value());
}

TEST_F(SqliteStoreTest, FindsAccountAndUserByNameInAnyCase) {
  // assign_to_user and the operator commands match names in any letter case.
  EXPECT_EQ(store_->FindAccountByName("ACME fax")->id, account_.id);
  EXPECT_EQ(store_->FindUserByUsername("Acme-Admin")->id, admin_.id);
}

TEST_F(SqliteStoreTest, RefusesTakenUsernameInAnyCase) {
  EXPECT_THROW(store_->CreateUser(AdminOf(account_, "ACME-Admin")), ConflictError);
}

TEST_F(SqliteStoreTest, StoresSupportAgentWithoutAccount) {
  User agent;
  agent.username = "support-1";
  agent.email = "support@provider.example";
  agent.role = UserRole::kSupportAgent;

  User created = store_->CreateUser(agent);

  std::optional<User> found = store_->FindUser(created.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->role, UserRole::kSupportAgent);
  EXPECT_FALSE(found->account_id.has_value());
}

TEST_F(SqliteStoreTest, FindsTokenByHashOnly) {
  MintedToken minted = MintApiToken();
  ApiToken token;
  token.user_id = admin_.id;
  token.display_prefix = minted.display_prefix;
  token.label = "CI";

  ApiToken created = store_->CreateToken(token, minted.hash);

  std::optional<TokenGrant> grant = store_->FindTokenByHash(minted.hash);
  EXPECT_TRUE(created.id.starts_with("tok_"));
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->token.id, created.id);
  EXPECT_EQ(grant->token.display_prefix, minted.display_prefix);
  EXPECT_EQ(grant->token.label, "CI");
  EXPECT_FALSE(grant->token.revoked_at.has_value());
  EXPECT_FALSE(grant->token.expires_at.has_value());
  EXPECT_EQ(grant->user.id, admin_.id);
  EXPECT_EQ(grant->user.username, "acme-admin");
  EXPECT_FALSE(store_->FindTokenByHash(minted.secret).has_value());
  EXPECT_FALSE(store_->FindTokenByHash(HashApiToken("ndk_other")).has_value());
}

TEST_F(SqliteStoreTest, RecordsTokenUse) {
  MintedToken minted = MintApiToken();
  ApiToken token = store_->CreateToken(TokenOf(admin_), minted.hash);

  store_->RecordTokenUse(token.id, "2026-12-03T17:30:00.000Z");

  EXPECT_EQ(store_->FindTokenByHash(minted.hash)->token.last_used_at, "2026-12-03T17:30:00.000Z");
}

TEST_F(SqliteStoreTest, RevokesTokenOnceAndKeepsFirstTime) {
  MintedToken minted = MintApiToken();
  ApiToken token = store_->CreateToken(TokenOf(admin_), minted.hash);

  EXPECT_TRUE(store_->RevokeToken(token.id, "2026-12-03T17:30:00.000Z"));
  EXPECT_TRUE(store_->RevokeToken(token.id, "2026-12-04T09:00:00.000Z"));

  EXPECT_EQ(store_->FindTokenByHash(minted.hash)->token.revoked_at, "2026-12-03T17:30:00.000Z");
}

TEST_F(SqliteStoreTest, RevokingUnknownTokenReturnsFalse) {
  EXPECT_FALSE(store_->RevokeToken("tok_missing", Now()));
}

TEST_F(SqliteStoreTest, StoresRequestWithDocumentsAndEvent) {
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  request.department_name = "Billing";
  request.comment = "Please port before Friday.";
  request.forward_from = "+12175550199";
  StoredDocument loa = DocumentOf(DocumentKind::kLoa, "Lettre d\u2019autorisation.pdf");
  StoredDocument bill = DocumentOf(DocumentKind::kBill, "bill.pdf");

  Create(request, {loa, bill}, SubmittedBy(admin_));

  std::optional<NumberRequest> found = store_->FindRequest(account_.id, request.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->type, RequestType::kPortIn);
  EXPECT_EQ(found->status, RequestStatus::kSubmitted);
  EXPECT_EQ(found->requester_user_id, admin_.id);
  EXPECT_EQ(found->country_code, "US");
  EXPECT_EQ(found->department_name, "Billing");
  EXPECT_EQ(found->notify_email, Strings{"ops@example.com"});
  EXPECT_EQ(found->comment, "Please port before Friday.");
  EXPECT_EQ(found->forward_from, "+12175550199");
  EXPECT_EQ(found->number_to_port, "+19782631234");
  EXPECT_EQ(found->toll_free, false);
  EXPECT_FALSE(found->region.has_value());
  EXPECT_TRUE(found->area_code.empty());
  EXPECT_EQ(found->created_at, request.created_at);

  std::vector<RequestDocument> documents = store_->DocumentsOf(request.id);
  ASSERT_EQ(documents.size(), 2u);
  const RequestDocument& stored_loa =
      documents[0].kind == DocumentKind::kLoa ? documents[0] : documents[1];
  const RequestDocument& stored_bill =
      documents[0].kind == DocumentKind::kLoa ? documents[1] : documents[0];
  EXPECT_EQ(stored_loa.id, loa.document.id);
  EXPECT_EQ(stored_loa.kind, DocumentKind::kLoa);
  EXPECT_EQ(stored_loa.file_name, "Lettre d\u2019autorisation.pdf");
  EXPECT_EQ(stored_loa.request_id, request.id);
  EXPECT_EQ(stored_loa.content_type, "application/pdf");
  EXPECT_EQ(stored_loa.page_count, 2);
  EXPECT_EQ(stored_loa.size_bytes, 1234);
  EXPECT_EQ(stored_bill.id, bill.document.id);
  EXPECT_EQ(stored_bill.kind, DocumentKind::kBill);

  std::vector<RequestEvent> events = store_->EventsOf(request.id, false);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor_username, "acme-admin");
  EXPECT_EQ(events[0].new_status, RequestStatus::kSubmitted);
  EXPECT_FALSE(events[0].old_status.has_value());
  EXPECT_EQ(events[0].note, "Request submitted.");
}

TEST_F(SqliteStoreTest, StoresLocalRequestPreferences) {
  NumberRequest request = RequestBy(admin_, RequestType::kNonTollFree);
  request.city = "Boston";
  request.area_code = {"978", "617"};
  request.assign_to_user_id = admin_.id;
  request.notify_email = {"a@example.com", "b@example.com"};

  Create(request, {}, SubmittedBy(admin_));

  std::optional<NumberRequest> found = store_->FindRequest(account_.id, request.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->region, "MA");
  EXPECT_EQ(found->city, "Boston");
  EXPECT_EQ(found->area_code, (Strings{"978", "617"}));
  EXPECT_EQ(found->notify_email, (Strings{"a@example.com", "b@example.com"}));
  EXPECT_EQ(found->assign_to_user, "acme-admin");
  EXPECT_FALSE(found->toll_free.has_value());
  EXPECT_FALSE(found->number_to_port.has_value());
}

TEST_F(SqliteStoreTest, FindsDocumentOnlyUnderItsRequest) {
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  StoredDocument loa = DocumentOf(DocumentKind::kLoa, "loa.pdf");
  Create(request, {loa}, SubmittedBy(admin_));
  std::string other_request = StoreRequest();

  std::optional<StoredDocument> found = store_->FindDocument(request.id, loa.document.id);

  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->storage_path, loa.storage_path);
  EXPECT_EQ(found->document.sha256, loa.document.sha256);
  EXPECT_FALSE(store_->FindDocument(other_request, loa.document.id).has_value());
  EXPECT_FALSE(store_->FindDocument(request.id, "doc_missing").has_value());
}

TEST_F(SqliteStoreTest, HidesInternalEventsFromCustomers) {
  NumberRequest request = RequestBy(admin_);
  Create(request, {}, SubmittedBy(admin_, EventVisibility::kInternal));

  EXPECT_TRUE(store_->EventsOf(request.id, false).empty());
  ASSERT_EQ(store_->EventsOf(request.id, true).size(), 1u);
  EXPECT_EQ(store_->EventsOf(request.id, true)[0].visibility, EventVisibility::kInternal);
}

TEST_F(SqliteStoreTest, StoresNothingWhenPartOfRequestIsRefused) {
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  StoredDocument loa = DocumentOf(DocumentKind::kLoa, "loa.pdf");
  StoredDocument same_id = DocumentOf(DocumentKind::kBill, "bill.pdf");
  same_id.document.id = loa.document.id;

  EXPECT_THROW(Create(request, {loa, same_id}, SubmittedBy(admin_)), ConflictError);

  EXPECT_FALSE(store_->FindRequest(account_.id, request.id).has_value());
  EXPECT_TRUE(store_->DocumentsOf(request.id).empty());
  EXPECT_TRUE(store_->ListRequests(account_.id, {}, std::nullopt, 10).requests.empty());
}

TEST_F(SqliteStoreTest, FindsRequestOnlyInItsAccount) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest theirs = RequestBy(other_admin);
  Create(theirs, {}, SubmittedBy(other_admin));

  EXPECT_FALSE(store_->FindRequest(account_.id, theirs.id).has_value());
  EXPECT_TRUE(store_->FindRequest(other.id, theirs.id).has_value());
  EXPECT_FALSE(store_->FindRequest(account_.id, "req_missing").has_value());
}

TEST_F(SqliteStoreTest, ListsOnlyTheAccountsRequests) {
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest theirs = RequestBy(other_admin);
  Create(theirs, {}, SubmittedBy(other_admin));
  std::string mine = StoreRequest();

  RequestPage page = store_->ListRequests(account_.id, {}, std::nullopt, 10);

  EXPECT_EQ(IdsOf(page.requests), Strings{mine});
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(SqliteStoreTest, ListsNewestFirst) {
  std::string first = StoreRequest();
  std::string second = StoreRequest();
  std::string third = StoreRequest();

  RequestPage page = store_->ListRequests(account_.id, {}, std::nullopt, 10);

  EXPECT_EQ(IdsOf(page.requests), (Strings{third, second, first}));
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(SqliteStoreTest, PagesStayStableWhenRequestsArriveBetweenPages) {
  Strings ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(StoreRequest());

  RequestPage first = store_->ListRequests(account_.id, {}, std::nullopt, 2);
  std::string newcomer = StoreRequest();
  RequestPage second = store_->ListRequests(account_.id, {}, first.next_cursor, 2);
  RequestPage third = store_->ListRequests(account_.id, {}, second.next_cursor, 2);

  EXPECT_EQ(IdsOf(first.requests), (Strings{ids[4], ids[3]}));
  EXPECT_EQ(first.next_cursor, ids[3]);
  EXPECT_EQ(IdsOf(second.requests), (Strings{ids[2], ids[1]}));
  EXPECT_EQ(second.next_cursor, ids[1]);
  EXPECT_EQ(IdsOf(third.requests), Strings{ids[0]});
  EXPECT_FALSE(third.next_cursor.has_value());
  EXPECT_EQ(IdsOf(store_->ListRequests(account_.id, {}, std::nullopt, 1).requests),
            Strings{newcomer});
}

TEST_F(SqliteStoreTest, LastFullPageHasNoCursor) {
  std::string first = StoreRequest();
  std::string second = StoreRequest();

  RequestPage page = store_->ListRequests(account_.id, {}, std::nullopt, 2);

  EXPECT_EQ(IdsOf(page.requests), (Strings{second, first}));
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(SqliteStoreTest, FiltersByStatusAndType) {
  std::string local = StoreRequest(RequestType::kNonTollFree, RequestStatus::kSubmitted);
  std::string done = StoreRequest(RequestType::kTollFree, RequestStatus::kCompleted);
  std::string port = StoreRequest(RequestType::kPortIn, RequestStatus::kSubmitted);
  std::string done_port = StoreRequest(RequestType::kPortIn, RequestStatus::kCompleted);

  RequestFilter completed = FilterOf(RequestStatus::kCompleted, std::nullopt);
  RequestFilter port_ins = FilterOf(std::nullopt, RequestType::kPortIn);
  RequestFilter submitted_port_ins = FilterOf(RequestStatus::kSubmitted, RequestType::kPortIn);

  EXPECT_EQ(IdsOf(store_->ListRequests(account_.id, completed, std::nullopt, 10).requests),
            (Strings{done_port, done}));
  EXPECT_EQ(IdsOf(store_->ListRequests(account_.id, port_ins, std::nullopt, 10).requests),
            (Strings{done_port, port}));
  EXPECT_EQ(IdsOf(store_->ListRequests(account_.id, submitted_port_ins, std::nullopt, 10).requests),
            Strings{port});
}

TEST_F(SqliteStoreTest, PagesThroughFilteredRequests) {
  std::string port_1 = StoreRequest(RequestType::kPortIn);
  StoreRequest(RequestType::kTollFree);
  std::string port_2 = StoreRequest(RequestType::kPortIn);
  StoreRequest(RequestType::kTollFree);
  std::string port_3 = StoreRequest(RequestType::kPortIn);
  RequestFilter port_ins = FilterOf(std::nullopt, RequestType::kPortIn);

  RequestPage first = store_->ListRequests(account_.id, port_ins, std::nullopt, 2);
  RequestPage second = store_->ListRequests(account_.id, port_ins, first.next_cursor, 2);

  EXPECT_EQ(IdsOf(first.requests), (Strings{port_3, port_2}));
  EXPECT_EQ(IdsOf(second.requests), Strings{port_1});
  EXPECT_FALSE(second.next_cursor.has_value());
}

TEST_F(SqliteStoreTest, NextCursorIsTheIdOfTheLastRequestOfThePage) {
  Strings ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(StoreRequest());

  RequestPage first = store_->ListRequests(account_.id, {}, std::nullopt, 1);
  RequestPage second = store_->ListRequests(account_.id, {}, ids[2], 1);

  EXPECT_EQ(first.next_cursor, ids[2]);
  EXPECT_EQ(IdsOf(second.requests), Strings{ids[1]});
  EXPECT_EQ(second.next_cursor, ids[1]);
}

TEST_F(SqliteStoreTest, ContinuesAfterACursorTheFilterDoesNotMatch) {
  std::string port_1 = StoreRequest(RequestType::kPortIn);
  std::string toll_free = StoreRequest(RequestType::kTollFree);
  StoreRequest(RequestType::kPortIn);

  RequestPage page = store_->ListRequests(account_.id, FilterOf(std::nullopt, RequestType::kPortIn),
                                          toll_free, 10);

  EXPECT_EQ(IdsOf(page.requests), Strings{port_1});
  EXPECT_FALSE(page.next_cursor.has_value());
}

TEST_F(SqliteStoreTest, RefusesCursorThatIsNotARequestOfTheAccount) {
  std::string mine = StoreRequest();
  Account other = store_->CreateAccount("Other Co");
  User other_admin = store_->CreateUser(AdminOf(other, "other-admin"));
  NumberRequest theirs = RequestBy(other_admin);
  Create(theirs, {}, SubmittedBy(other_admin));

  // Raw row numbers, which cursors used to be, are refused too.
  for (const std::string& cursor :
       {std::string(), std::string("abc"), std::string("0"), std::string("1"), std::string("2"),
        std::string("req_aaaaaaaaaaaaaaaaaaaaaaaaaa"), theirs.id}) {
    SCOPED_TRACE(cursor);
    EXPECT_THROW(store_->ListRequests(account_.id, {}, cursor, 10), std::invalid_argument);
  }
  EXPECT_TRUE(store_->ListRequests(other.id, {}, theirs.id, 10).requests.empty());
  EXPECT_THROW(store_->ListRequests(other.id, {}, mine, 10), std::invalid_argument);
}

TEST_F(SqliteStoreTest, StampsRequestDocumentsAndEventWithOneTimeWhenStoring) {
  const std::string stale = "2001-01-01T00:00:00.000Z";
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  request.created_at = stale;
  request.updated_at = stale;
  std::vector<StoredDocument> documents = {DocumentOf(DocumentKind::kLoa, "loa.pdf"),
                                           DocumentOf(DocumentKind::kBill, "bill.pdf")};
  documents[0].document.created_at = stale;
  RequestEvent event = SubmittedBy(admin_);
  event.occurred_at = stale;
  std::string before = Now();

  store_->CreateRequest(request, documents, event);

  std::string stamped = request.created_at;
  EXPECT_GE(stamped, before);
  EXPECT_LE(stamped, Now());
  EXPECT_EQ(request.updated_at, stamped);
  EXPECT_EQ(documents[0].document.created_at, stamped);
  EXPECT_EQ(documents[1].document.created_at, stamped);
  EXPECT_EQ(event.occurred_at, stamped);
  std::optional<NumberRequest> found = store_->FindRequest(account_.id, request.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->created_at, stamped);
  EXPECT_EQ(found->updated_at, stamped);
  for (const RequestDocument& document : store_->DocumentsOf(request.id))
    EXPECT_EQ(document.created_at, stamped);
  ASSERT_EQ(store_->EventsOf(request.id, true).size(), 1u);
  EXPECT_EQ(store_->EventsOf(request.id, true)[0].occurred_at, stamped);
}

TEST_F(SqliteStoreTest, NeverStampsAnEarlierTimeThanTheNewestRequest) {
  std::string earlier = StoreRequest();
  const std::string future = "2999-01-01T00:00:00.000Z";
  {
    sqlite::Connection db(folder_ / "numberdesk.db");
    db.Execute("UPDATE number_requests SET created_at = '" + future + "'");
  }

  NumberRequest request = RequestBy(admin_);
  Create(request, {}, SubmittedBy(admin_));

  EXPECT_EQ(request.created_at, future);
  EXPECT_EQ(store_->FindRequest(account_.id, request.id)->created_at, future);
  EXPECT_EQ(IdsOf(store_->ListRequests(account_.id, {}, std::nullopt, 10).requests),
            (Strings{request.id, earlier}));
}

TEST_F(SqliteStoreTest, ListsNewestFirstByCreationTimeAfterAConcurrentBurst) {
  constexpr int kWriters = 8;
  constexpr int kEach = 10;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i)
        StoreRequest();
    });
  }
  for (std::thread& writer : writers)
    writer.join();

  RequestPage page = store_->ListRequests(account_.id, {}, std::nullopt, 100);

  ASSERT_EQ(page.requests.size(), std::size_t{kWriters * kEach});
  for (std::size_t i = 1; i < page.requests.size(); ++i) {
    EXPECT_GE(page.requests[i - 1].created_at, page.requests[i].created_at) << "position " << i;
  }
}

TEST_F(SqliteStoreTest, KeepsDataWhenReopened) {
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  StoredDocument loa = DocumentOf(DocumentKind::kLoa, "loa.pdf");
  Create(request, {loa}, SubmittedBy(admin_));
  MintedToken minted = MintApiToken();
  store_->CreateToken(TokenOf(admin_), minted.hash);

  Reopen();

  EXPECT_EQ(store_->SchemaVersion(), 3);
  EXPECT_TRUE(store_->FindAccount(account_.id).has_value());
  EXPECT_TRUE(store_->FindUser(admin_.id).has_value());
  EXPECT_TRUE(store_->FindTokenByHash(minted.hash).has_value());
  std::optional<NumberRequest> found = store_->FindRequest(account_.id, request.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->number_to_port, "+19782631234");
  EXPECT_EQ(store_->DocumentsOf(request.id).size(), 1u);
  EXPECT_EQ(store_->EventsOf(request.id, true).size(), 1u);
}

// ModeOf returns the permission bits of `file`.
fs::perms ModeOf(const fs::path& file) {
  return fs::status(file).permissions() & fs::perms::all;
}

constexpr fs::perms kOwnerReadWriteGroupRead =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read;

TEST_F(SqliteStoreTest, CreatesDatabaseFilesReadableByOwnerAndGroupOnly) {
  // With the common umask, SQLite alone would create these files as 0644.
  mode_t previous_umask = ::umask(022);
  fs::path file = folder_ / "fresh.sqlite3";
  {
    SqliteStore fresh(file);
    Account account = fresh.CreateAccount("Fresh Co");
    User admin = fresh.CreateUser(AdminOf(account, "fresh-admin"));
    NumberRequest request = RequestBy(admin);
    std::vector<StoredDocument> documents;
    RequestEvent event = SubmittedBy(admin);
    fresh.CreateRequest(request, documents, event);

    ASSERT_TRUE(fs::exists(file.string() + "-wal"));
    ASSERT_TRUE(fs::exists(file.string() + "-shm"));
    EXPECT_EQ(ModeOf(file), kOwnerReadWriteGroupRead);
    EXPECT_EQ(ModeOf(file.string() + "-wal"), kOwnerReadWriteGroupRead);
    EXPECT_EQ(ModeOf(file.string() + "-shm"), kOwnerReadWriteGroupRead);
  }
  ::umask(previous_umask);
}

TEST_F(SqliteStoreTest, NarrowsAWorldReadableDatabaseWhenOpening) {
  store_.reset();
  fs::path file = folder_ / "numberdesk.db";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);

  Open();

  EXPECT_EQ(ModeOf(file), kOwnerReadWriteGroupRead);
  EXPECT_TRUE(store_->FindAccount(account_.id).has_value());
}

TEST_F(SqliteStoreTest, RefusesDatabaseFromNewerVersion) {
  {
    sqlite::Connection db(folder_ / "numberdesk.db");
    db.Execute(
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (99, 'future', '2030-01-01T00:00:00.000Z')");
  }

  store_.reset();

  EXPECT_THROW(Open(), StoreError);
}

}  // namespace
}  // namespace numberdesk
