// Tests of the outbox: what the store keeps with each change, and how the
// worker delivers it, retries it and gives up on it. The store is the real
// SQLite one; the transports are in-memory stand-ins for the mail server and
// the webhook receiver, which the HTTP tests exercise for real.

#include "notify/outbox_worker.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/timestamps.h"
#include "security/random_ids.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/store_test_builders.h"

namespace numberdesk {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using store_testing::AdminOf;
using store_testing::RequestBy;

// Records what it is handed; fails while `failing` is set.
class RecordingMail : public MailTransport {
 public:
  void Send(const OutboxMessage& message) override {
    if (failing) throw DeliveryError("SMTP: connection refused");
    sent.push_back(message);
  }
  bool failing = false;
  std::vector<OutboxMessage> sent;
};

class RecordingWebhooks : public WebhookTransport {
 public:
  void Post(const Webhook& webhook, const OutboxMessage& message) override {
    if (failing) throw DeliveryError("webhook: the receiver answered 503");
    posted.emplace_back(webhook, message);
  }
  bool failing = false;
  std::vector<std::pair<Webhook, OutboxMessage>> posted;
};

OutboxMessage MailTo(std::string recipient) {
  OutboxMessage message;
  message.id = NewId("out_");
  message.channel = OutboxChannel::kEmail;
  message.recipient = std::move(recipient);
  message.message_id = "<" + NewId("m_") + "@numberdesk>";
  message.payload = "Subject: hello\r\n\r\nbody\r\n";
  return message;
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("numberdesk-outbox-" + HexEncode(RandomBytes(8)));
    fs::create_directories(folder_);
    store_ = std::make_unique<SqliteStore>(folder_ / "numberdesk.db");
    account_ = store_->CreateAccount("Acme Fax");
    admin_ = store_->CreateUser(AdminOf(account_, "acme-admin"));
    options_.retry = RetryPolicy{100ms, 400ms, 3};
    options_.lease = 60s;
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  // Registers a webhook of the account at a port nothing listens on.
  Webhook CreateWebhook() {
    Webhook webhook;
    webhook.account_id = account_.id;
    webhook.url = "http://127.0.0.1:9/hook";
    webhook.secret = "whsec_test";
    return store_->CreateWebhook(webhook);
  }

  // A delivery of an empty payload to `webhook`, not yet stored.
  static OutboxMessage DeliveryTo(const Webhook& webhook) {
    OutboxMessage delivery;
    delivery.id = NewId("out_");
    delivery.channel = OutboxChannel::kWebhook;
    delivery.recipient = webhook.id;
    delivery.message_id = NewId("dlv_");
    delivery.payload = "{}";
    return delivery;
  }

  // Stores a request whose first event causes `outbox`; returns its event.
  RequestEvent CreateWith(std::vector<OutboxMessage> outbox) {
    NumberRequest request = RequestBy(admin_);
    RequestEvent event;
    event.id = NewId("evt_");
    event.actor_user_id = admin_.id;
    event.new_status = RequestStatus::kSubmitted;
    std::vector<StoredDocument> documents;
    store_->CreateRequest(
        request, documents, event,
        [outbox](const RequestEvent&, const std::vector<std::string>&) { return outbox; });
    return event;
  }

  OutboxWorker Worker() { return OutboxWorker(*store_, mail_, webhooks_, options_); }

  std::vector<OutboxMessage> InState(OutboxState state) { return store_->ListOutbox(state, 100); }

  fs::path folder_;
  std::unique_ptr<SqliteStore> store_;
  Account account_;
  User admin_;
  RecordingMail mail_;
  RecordingWebhooks webhooks_;
  OutboxWorkerOptions options_;
};

TEST_F(OutboxTest, ComposerSeesTheStampedEventAndItsDocuments) {
  NumberRequest request = RequestBy(admin_, RequestType::kPortIn);
  RequestEvent submitted;
  submitted.id = NewId("evt_");
  submitted.actor_user_id = admin_.id;
  submitted.new_status = RequestStatus::kSubmitted;
  std::vector<StoredDocument> documents(1);
  documents[0].document.id = NewId("doc_");
  documents[0].document.kind = DocumentKind::kLoa;
  documents[0].document.file_name = "loa.pdf";
  documents[0].document.content_type = "application/pdf";
  documents[0].document.sha256 = std::string(64, 'a');
  documents[0].storage_path = "aa/loa.pdf";
  std::string seen_time;
  std::vector<std::string> seen_documents;

  store_->CreateRequest(request, documents, submitted,
                        [&](const RequestEvent& event, const std::vector<std::string>& brought) {
                          seen_time = event.occurred_at;
                          seen_documents = brought;
                          return std::vector<OutboxMessage>{MailTo("a@example.com")};
                        });

  EXPECT_EQ(seen_time, request.created_at);
  EXPECT_TRUE(seen_documents.empty()) << "documents of no event belong to none";
  std::vector<OutboxMessage> pending = InState(OutboxState::kPending);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].event_id, submitted.id);
  EXPECT_EQ(pending[0].request_id, request.id);
  EXPECT_EQ(pending[0].recipient, "a@example.com");
  EXPECT_EQ(pending[0].attempts, 0);
}

TEST_F(OutboxTest, ARefusedChangeStoresNoNotification) {
  RequestEvent first = CreateWith({});
  std::optional<NumberRequest> request = store_->FindAnyRequest(first.request_id);
  ASSERT_TRUE(request);
  RequestChange change;
  change.request_id = request->id;
  change.expected_version = request->version + 1;  // someone else moved it first
  change.new_status = RequestStatus::kInProgress;
  RequestEvent moved;
  moved.id = NewId("evt_");
  moved.actor_user_id = admin_.id;
  moved.old_status = RequestStatus::kSubmitted;
  moved.new_status = RequestStatus::kInProgress;
  change.events.push_back(moved);
  change.notify = [](const RequestEvent&, const std::vector<std::string>&) {
    return std::vector<OutboxMessage>{MailTo("a@example.com")};
  };

  EXPECT_THROW(store_->ApplyChange(change), StaleRequestError);
  EXPECT_TRUE(InState(OutboxState::kPending).empty());
}

TEST_F(OutboxTest, DeliversEachDueMessageOnceAndMarksItSent) {
  CreateWith({MailTo("a@example.com"), MailTo("b@example.com")});
  OutboxWorker worker = Worker();

  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 2);
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 0);

  ASSERT_EQ(mail_.sent.size(), 2u);
  EXPECT_EQ(mail_.sent[0].recipient, "a@example.com");
  EXPECT_EQ(mail_.sent[1].recipient, "b@example.com");
  std::vector<OutboxMessage> sent = InState(OutboxState::kSent);
  ASSERT_EQ(sent.size(), 2u);
  for (const OutboxMessage& message : sent) {
    EXPECT_TRUE(message.sent_at.has_value());
    EXPECT_EQ(message.attempts, 1);
  }
  EXPECT_TRUE(InState(OutboxState::kPending).empty());
}

TEST_F(OutboxTest, AChannelDeliversOnlyItsOwnMessages) {
  CreateWith({MailTo("a@example.com")});
  OutboxWorker worker = Worker();

  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kWebhook), 0);
  EXPECT_EQ(InState(OutboxState::kPending).size(), 1u);
}

TEST_F(OutboxTest, AFailedAttemptIsRetriedAfterTheBackoffWithTheSameMessageId) {
  OutboxMessage message = MailTo("a@example.com");
  CreateWith({message});
  OutboxWorker worker = Worker();
  mail_.failing = true;

  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 1);
  std::vector<OutboxMessage> pending = InState(OutboxState::kPending);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].last_error, "SMTP: connection refused");
  EXPECT_GT(pending[0].next_attempt_at, FormatRfc3339(std::chrono::system_clock::now()));
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 0) << "not due before its backoff";

  mail_.failing = false;
  std::this_thread::sleep_for(110ms);  // the first backoff is at most 100 ms
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 1);
  ASSERT_EQ(mail_.sent.size(), 1u);
  EXPECT_EQ(mail_.sent[0].message_id, message.message_id);
  EXPECT_EQ(mail_.sent[0].attempts, 2);
  EXPECT_EQ(InState(OutboxState::kSent).size(), 1u);
}

TEST_F(OutboxTest, AMessageThatKeepsFailingIsMarkedFailedAndCanBeRetriedBySupport) {
  CreateWith({MailTo("a@example.com")});
  options_.retry = RetryPolicy{1ms, 1ms, 3};
  OutboxWorker worker = Worker();
  mail_.failing = true;

  for (int attempt = 1; attempt <= 3; ++attempt) {
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 1) << "attempt " << attempt;
  }
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 0);

  std::vector<OutboxMessage> failed = InState(OutboxState::kFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].attempts, 3);
  EXPECT_EQ(failed[0].last_error, "SMTP: connection refused");

  EXPECT_EQ(store_->RetryOutbox(failed[0].id, FormatRfc3339(std::chrono::system_clock::now())),
            OutboxRetry::kRetried);
  EXPECT_EQ(store_->RetryOutbox(failed[0].id, FormatRfc3339(std::chrono::system_clock::now())),
            OutboxRetry::kNotFailed)
      << "only a failed message can be retried";
  std::vector<OutboxMessage> pending = InState(OutboxState::kPending);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 0) << "a retry starts a fresh count of attempts";
  mail_.failing = false;
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kEmail), 1);
  EXPECT_EQ(InState(OutboxState::kSent).size(), 1u);
  EXPECT_TRUE(InState(OutboxState::kFailed).empty());
}

// A server that dies after claiming a message leaves it leased: nobody else
// sends it meanwhile, and it is due again once the lease runs out.
TEST_F(OutboxTest, AClaimedMessageIsDueAgainOnlyAfterItsLease) {
  OutboxMessage message = MailTo("a@example.com");
  CreateWith({message});
  auto now = std::chrono::system_clock::now();

  std::vector<OutboxMessage> claimed = store_->ClaimDueOutbox(
      OutboxChannel::kEmail, FormatRfc3339(now), FormatRfc3339(now + 50ms), 10);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(store_
                  ->ClaimDueOutbox(OutboxChannel::kEmail, FormatRfc3339(now + 10ms),
                                   FormatRfc3339(now + 1min), 10)
                  .empty());

  std::vector<OutboxMessage> again = store_->ClaimDueOutbox(
      OutboxChannel::kEmail, FormatRfc3339(now + 60ms), FormatRfc3339(now + 1min), 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].message_id, message.message_id);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_F(OutboxTest, WebhookDeliveriesGoToTheStoredWebhookAndAreDroppedOnceItIsDeleted) {
  Webhook webhook = CreateWebhook();
  OutboxMessage delivery = DeliveryTo(webhook);
  OutboxMessage second = DeliveryTo(webhook);
  CreateWith({delivery});
  OutboxWorker worker = Worker();

  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kWebhook), 1);
  ASSERT_EQ(webhooks_.posted.size(), 1u);
  EXPECT_EQ(webhooks_.posted[0].first.url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(webhooks_.posted[0].first.secret, "whsec_test");
  EXPECT_EQ(webhooks_.posted[0].second.message_id, delivery.message_id);

  CreateWith({second});
  ASSERT_TRUE(store_->DeleteWebhook(account_.id, webhook.id,
                                    FormatRfc3339(std::chrono::system_clock::now())));
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kWebhook), 1);
  EXPECT_EQ(webhooks_.posted.size(), 1u);
  std::vector<OutboxMessage> failed = InState(OutboxState::kFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error, "the webhook was deleted");
}

// A retry of a delivery whose webhook is gone could only fail again.
TEST_F(OutboxTest, ADeliveryToADeletedWebhookIsNotRetriedAndStaysAsItWas) {
  Webhook webhook = CreateWebhook();
  OutboxMessage delivery = DeliveryTo(webhook);
  CreateWith({delivery});
  options_.retry = RetryPolicy{1ms, 1ms, 1};
  OutboxWorker worker = Worker();
  webhooks_.failing = true;
  EXPECT_EQ(worker.DeliverDue(OutboxChannel::kWebhook), 1);
  std::vector<OutboxMessage> before = InState(OutboxState::kFailed);
  ASSERT_EQ(before.size(), 1u);

  std::string now = FormatRfc3339(std::chrono::system_clock::now());
  ASSERT_TRUE(store_->DeleteWebhook(account_.id, webhook.id, now));
  EXPECT_EQ(store_->RetryOutbox(delivery.id, now), OutboxRetry::kWebhookDeleted);

  std::vector<OutboxMessage> after = InState(OutboxState::kFailed);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].attempts, before[0].attempts);
  EXPECT_EQ(after[0].last_error, before[0].last_error);
  EXPECT_EQ(after[0].next_attempt_at, before[0].next_attempt_at);
  EXPECT_TRUE(InState(OutboxState::kPending).empty());
}

TEST_F(OutboxTest, TheBackgroundThreadsDeliverWithoutBeingAsked) {
  CreateWith({MailTo("a@example.com")});
  options_.poll = 10ms;
  OutboxWorker worker = Worker();
  worker.Start();
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (InState(OutboxState::kSent).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  worker.Stop();
  EXPECT_EQ(InState(OutboxState::kSent).size(), 1u);
  EXPECT_EQ(mail_.sent.size(), 1u);
}

TEST(RetryPolicy, DoublesFromTheInitialDelayUpToTheCap) {
  RetryPolicy policy{1000ms, 5000ms, 6};
  EXPECT_EQ(policy.DelayAfter(1, 0.0), 1000ms);
  EXPECT_EQ(policy.DelayAfter(2, 0.0), 2000ms);
  EXPECT_EQ(policy.DelayAfter(3, 0.0), 4000ms);
  EXPECT_EQ(policy.DelayAfter(4, 0.0), 5000ms);
  EXPECT_EQ(policy.DelayAfter(5, 0.0), 5000ms);
}

TEST(RetryPolicy, JitterShortensADelayByAtMostAFifth) {
  RetryPolicy policy{1000ms, 5000ms, 6};
  EXPECT_EQ(policy.DelayAfter(1, 0.5), 900ms);
  std::optional<std::chrono::milliseconds> shortest = policy.DelayAfter(1, 0.999999);
  ASSERT_TRUE(shortest);
  EXPECT_GE(*shortest, 800ms);
}

TEST(RetryPolicy, GivesUpAfterTheLastAttempt) {
  RetryPolicy policy{1000ms, 5000ms, 3};
  EXPECT_TRUE(policy.DelayAfter(2, 0.0).has_value());
  EXPECT_FALSE(policy.DelayAfter(3, 0.0).has_value());
  EXPECT_FALSE(policy.DelayAfter(4, 0.0).has_value());
}

class MailFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("numberdesk-mail-" + HexEncode(RandomBytes(8)));
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  std::vector<fs::path> Files() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder_))
      files.push_back(entry.path());
    return files;
  }
  fs::path folder_;
};

TEST_F(MailFolderTest, WritesEachMessageAsOneEmlFileNamedByTimeAndId) {
  MailFolderTransport transport(folder_);
  OutboxMessage message = MailTo("a@example.com");
  message.created_at = "2026-12-04T05:10:00.123Z";

  transport.Send(message);
  transport.Send(message);  // a retry replaces its file

  std::vector<fs::path> files = Files();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename(), "20261204T051000123Z-" + message.id + ".eml");
  std::ifstream in(files[0], std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, message.payload);
}

TEST(WebhookSignature, IsTheHmacOfTheTimeAndTheBody) {
  // Computed independently: HMAC-SHA256("whsec_test", "1700000000.{\"id\":\"dlv_1\"}").
  EXPECT_EQ(WebhookSignature("whsec_test", 1700000000, "{\"id\":\"dlv_1\"}"),
            "t=1700000000,v1=2a0722e4ac505ea617f66864cfe969f1a52b2eb51aa59f3addb27def47a81236");
}

TEST(CheckWebhookUrl, AcceptsAbsoluteHttpAndHttpsUrls) {
  for (const char* url :
       {"https://hooks.example.com/numberdesk", "http://127.0.0.1:8081/hook",
        "https://example.com:8443/a/b?c=d", "HTTPS://Hooks.Example.COM/", "http://localhost:1/",
        "https://example.com:65535/", "https://xn--caf-dma.example/", "https://example.com./hook",
        "http://[::1]:8080/hook", "http://[2001:db8::1]/", "http://a-b.c-d.example/",
        "https://1password.example/", "https://x.example:/hook"}) {
    EXPECT_EQ(CheckWebhookUrl(url), std::nullopt) << url;
  }
  std::string longest_label(63, 'a');
  EXPECT_EQ(CheckWebhookUrl("https://" + longest_label + ".example/"), std::nullopt);
}

TEST(CheckWebhookUrl, RefusesWhatCannotReceiveAPost) {
  for (const char* url :
       {"", "not a url", "example.com/hook", "ftp://example.com/hook", "file:///etc/passwd",
        "https://user:secret@example.com/hook", "https://example.com/hook#part", "https://"}) {
    EXPECT_NE(CheckWebhookUrl(url), std::nullopt) << url;
  }
  EXPECT_NE(CheckWebhookUrl("https://example.com/" + std::string(2000, 'a')), std::nullopt);
}

// None of these names a host to post to, though libcurl would read
// "http:///path" as a URL of the host "path" and "http:/x.example" as one of
// "x.example".
TEST(CheckWebhookUrl, RefusesAUrlWithoutAProperHost) {
  for (const char* url :
       {"http:///path", "https:///", "http:/x.example/hook", "http://?a=b", "https://#x"}) {
    std::optional<std::string> problem = CheckWebhookUrl(url);
    ASSERT_NE(problem, std::nullopt) << url;
    EXPECT_NE(problem->find("host"), std::string::npos) << url << ": " << *problem;
  }
}

TEST(CheckWebhookUrl, RefusesHostsThatAreNotDnsNamesOrIpAddresses) {
  std::string long_label(64, 'a');
  std::string long_name;
  while (long_name.size() <= 253)
    long_name += "abcdefghi.";
  long_name += "example";
  for (const std::string& host :
       {std::string("-x.example"), std::string("x-.example"), std::string("x.-example"),
        std::string("x..example"), std::string(".x.example"), std::string("x.example.."),
        std::string("\xc3\xa9.example"), std::string("x_y.example"), std::string("%2Dx.example"),
        long_label + ".example", long_name, std::string("999.1.1.1"), std::string("x.123")}) {
    EXPECT_NE(CheckWebhookUrl("https://" + host + "/hook"), std::nullopt) << host;
  }
}

TEST(CheckWebhookUrl, RefusesPortZero) {
  std::optional<std::string> problem = CheckWebhookUrl("http://x.example:0/h");
  ASSERT_NE(problem, std::nullopt);
  EXPECT_EQ(*problem, "The port must be from 1 to 65535.");
  EXPECT_NE(CheckWebhookUrl("http://x.example:65536/h"), std::nullopt);
}

TEST(CheckWebhookUrl, RefusesAnEmptyUserOrFragment) {
  for (const char* url : {"https://@x.example/", "https://:@x.example/", "https://x.example/#"}) {
    EXPECT_NE(CheckWebhookUrl(url), std::nullopt) << url;
  }
}

}  // namespace
}  // namespace numberdesk
