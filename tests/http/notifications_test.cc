// Black-box tests of notifications: the mail each event sends (through a
// real SMTP server, or as .eml files when none is set), delivery that
// survives an SMTP outage and a crash mid-delivery, signed webhooks, and the
// support desk's view of the outbox.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"
#include "http/sinks.h"
#include "support/pdf_factory.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr char kMailFrom[] = "desk@numberdesk.example";
constexpr char kDefaultMailFrom[] = "numberdesk@numberdesk.example";  // as the README says
constexpr char kSupportEmail[] = "support@numberdesk.example";
constexpr char kRequester[] = "jdoe@acme.example";  // jdoe's own address in the demo data
constexpr char kNotified[] = "jdoe@example.com";    // notify_email of the minimal bodies
constexpr char kWebhooksPath[] = "/api/webhooks";
// The outbox retry takes no body; libcurl would label an empty one a form.
constexpr char kJsonType[] = "Content-Type: application/json";

constexpr auto kDeliveryTimeout = 10s;
// How long "no more than that" is watched for, once what was expected came.
constexpr auto kQuiet = 300ms;
constexpr auto kLongQuiet = 2s;

std::string SupportPath(const std::string& id, const std::string& tail = "") {
  return "/api/support/requests/" + id + tail;
}

std::string CustomerPath(const std::string& id, const std::string& tail = "") {
  return std::string(kRequestsPath) + "/" + id + tail;
}

std::string NextLocalNumber() {
  static std::atomic<int> line{3000};
  return "+1978555" + std::to_string(line++);
}

std::string NextTollFreeNumber() {
  static std::atomic<int> line{3000};
  return "+1800555" + std::to_string(line++);
}

std::string Subject(const std::string& id, const std::string& status, const std::string& what) {
  return "[" + id + "] " + status + ": " + what;
}

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}

bool IsMessageId(const std::string& id) {
  static const std::regex kMessageId(R"(<evt_[a-z0-9]+\.[0-9a-f]{16}@numberdesk>)");
  return std::regex_match(id, kMessageId);
}

std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

std::string Describe(const std::vector<ReceivedMail>& mails) {
  std::string lines;
  for (const ReceivedMail& mail : mails)
    lines += "  " + mail.to + ": " + mail.subject + " " + mail.message_id + "\n";
  return lines.empty() ? "  (none)\n" : lines;
}

// The To: addresses of `mails`, sorted.
std::vector<std::string> Recipients(const std::vector<ReceivedMail>& mails) {
  std::vector<std::string> recipients;
  for (const ReceivedMail& mail : mails)
    recipients.push_back(mail.to);
  return Sorted(recipients);
}

// The one mail of `mails` to `to`; a test failure (and an empty mail) unless
// there is exactly one.
ReceivedMail MailTo(const std::vector<ReceivedMail>& mails, const std::string& to) {
  std::vector<ReceivedMail> found;
  std::copy_if(mails.begin(), mails.end(), std::back_inserter(found),
               [&](const ReceivedMail& mail) { return mail.to == to; });
  if (found.size() != 1) {
    ADD_FAILURE() << found.size() << " mails to " << to << " among:\n" << Describe(mails);
    return {};
  }
  return found.front();
}

// What every mail must be: from `from`, one addressee, a Message-ID of its
// event, both parts, and no token.
void ExpectWellFormed(const ReceivedMail& mail, const std::string& from) {
  SCOPED_TRACE("mail to " + mail.to + ": " + mail.subject);
  EXPECT_EQ(mail.from, from);
  EXPECT_TRUE(IsMessageId(mail.message_id)) << mail.message_id;
  EXPECT_FALSE(mail.text.empty()) << "no text/plain part";
  EXPECT_FALSE(mail.html.empty()) << "no text/html part";
  EXPECT_EQ(mail.raw.find("ndk_"), std::string::npos) << "a token in the mail:\n" << mail.raw;
}

// The same, and an envelope of that sender and of the To: address alone.
void ExpectWellFormedDelivery(const ReceivedMail& mail) {
  ExpectWellFormed(mail, kMailFrom);
  EXPECT_EQ(mail.mail_from, kMailFrom);
  EXPECT_EQ(mail.rcpt_tos, std::vector<std::string>{mail.to});
}

// Both parts of `mail` show each of `parts`.
void ExpectBodyHas(const ReceivedMail& mail, const std::vector<std::string>& parts) {
  SCOPED_TRACE("mail to " + mail.to + ": " + mail.subject);
  for (const std::string& part : parts) {
    EXPECT_TRUE(Contains(mail.text, part));
    EXPECT_TRUE(Contains(mail.html, part));
  }
}

// What a new request's summary must show: its id and every detail given.
std::vector<std::string> SummaryOf(const json& request) {
  std::vector<std::string> parts = {request["id"], request["country_code"]};
  for (const char* key : {"region", "city", "number_to_port", "department_name"}) {
    if (request.contains(key) && request[key].is_string()) parts.push_back(request[key]);
  }
  if (request.contains("area_code")) {
    for (const json& code : request["area_code"])
      parts.push_back(code);
  }
  return parts;
}

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

// A webhook POST carries "Numberdesk-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, "<t>." + body)>", with t close to now.
::testing::AssertionResult IsSignedWith(const ReceivedPost& post, const std::string& secret) {
  static const std::regex kSignature(R"(t=([0-9]+),v1=([0-9a-f]{64}))");
  std::string header = post.Header("numberdesk-signature").value_or("(none)");
  std::smatch match;
  if (!std::regex_match(header, match, kSignature)) {
    return ::testing::AssertionFailure() << "malformed Numberdesk-Signature: " << header;
  }
  long long signed_at = std::stoll(match[1].str());
  long long now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  if (std::llabs(now - signed_at) > 300) {
    return ::testing::AssertionFailure() << "signed at " << signed_at << ", now is " << now;
  }
  std::string expected = HmacSha256Hex(secret, match[1].str() + "." + post.body);
  if (match[2].str() != expected) {
    return ::testing::AssertionFailure()
           << "v1 is " << match[2].str() << ", the HMAC is " << expected << "; body: " << post.body;
  }
  return ::testing::AssertionSuccess();
}

// The event ids of `posts`, each as often as it came.
std::multiset<std::string> DeliveredEventIds(const std::vector<ReceivedPost>& posts) {
  std::multiset<std::string> ids;
  for (const ReceivedPost& post : posts) {
    json body = json::parse(post.body, nullptr, false);
    ids.insert(body.is_object() ? body["event"].value("id", "?") : "(not JSON)");
  }
  return ids;
}

class NotificationTest : public ::testing::Test {
 protected:
  // The serve options that mail through smtp_ from kMailFrom, and `extra`.
  std::vector<std::string> SmtpOptions(std::vector<std::string> extra = {}) const {
    std::vector<std::string> options = {"--smtp-url", smtp_.url(), "--mail-from", kMailFrom};
    options.insert(options.end(), extra.begin(), extra.end());
    return options;
  }

  void StartServer(std::vector<std::string> options) {
    server_ = std::make_unique<ServerProcess>(std::move(options));
    Connect();
  }

  // Clients for the server's current port, which a restart changes.
  void Connect() {
    api_ = std::make_unique<HttpClient>(server_->base_url(), server_->token());
    desk_ = std::make_unique<HttpClient>(server_->base_url(), server_->support_token());
  }

  json CreateRequest(const std::string& type, json extra = json::object()) {
    if (type == "port_in") {
      json data = MinimalPortInData();
      data.update(extra);
      return ExpectCreated(api_->PostMultipart(kPortInPath, PortInParts(data, loa_, bill_)),
                           "port_in");
    }
    json body = type == "toll_free" ? MinimalTollFree() : MinimalNonTollFree();
    body.update(extra);
    return ExpectCreated(
        api_->PostJson(type == "toll_free" ? kTollFreePath : kNonTollFreePath, body), type);
  }

  // Support moves request `id` with `move` ({"to": ..., and its data}).
  json MoveOk(const std::string& id, const json& move) {
    HttpResult result = desk_->PostJson(SupportPath(id, "/transitions"), move);
    EXPECT_EQ(result.status, 200) << move.dump() << ": " << result.body;
    return result.Json();
  }

  // Support writes to the customer, or an internal note; returns the event.
  json SupportMessage(const std::string& id, const std::string& text, bool internal = false) {
    HttpResult result =
        desk_->PostJson(SupportPath(id, "/messages"), {{"body", text}, {"internal", internal}});
    EXPECT_EQ(result.status, 201) << result.body;
    return result.Json();
  }

  json CustomerReply(const std::string& id, const std::string& text) {
    HttpResult result = api_->PostJson(CustomerPath(id, "/messages"), {{"body", text}});
    EXPECT_EQ(result.status, 201) << result.body;
    return result.Json();
  }

  // The request as support sees it, internal notes included.
  json StaffView(const std::string& id) {
    HttpResult result = desk_->Get(SupportPath(id));
    EXPECT_EQ(result.status, 200) << result.body;
    return result.Json();
  }

  // The outbox messages in `state` on `channel`.
  std::vector<json> Outbox(const std::string& state, const std::string& channel = "email") {
    HttpResult result = desk_->Get("/api/support/outbox?state=" + state + "&limit=100");
    EXPECT_EQ(result.status, 200) << result.body;
    std::vector<json> messages;
    json listed = result.Json();  // kept: the loop must not run over a temporary's member
    for (const json& message : listed["messages"]) {
      if (message.value("channel", "") == channel) messages.push_back(message);
    }
    return messages;
  }

  const std::string loa_ = MakePdf(2, "letter of authorisation");
  const std::string bill_ = MakePdf(1, "phone bill");
  SmtpSink smtp_;
  WebhookSink hook_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> api_;
  std::unique_ptr<HttpClient> desk_;
};

// Mail through a live SMTP server, with a support address.
class MailTest : public NotificationTest {
 protected:
  void SetUp() override {
    smtp_.Start();
    StartServer(SmtpOptions({"--support-email", kSupportEmail}));
  }

  // Waits for `count` mails more than NextMail has returned so far, checks
  // that no more follow for a moment and that each is well formed, and
  // returns them.
  std::vector<ReceivedMail> NextMail(std::size_t count) {
    std::size_t expected = seen_ + count;
    bool arrived = WaitFor([&] { return smtp_.Received().size() >= expected; }, kDeliveryTimeout);
    bool more = WaitFor([&] { return smtp_.Received().size() > expected; }, kQuiet);
    std::vector<ReceivedMail> all = smtp_.Received();
    std::vector<ReceivedMail> next(all.begin() + static_cast<long>(std::min(seen_, all.size())),
                                   all.end());
    seen_ = all.size();
    EXPECT_TRUE(arrived) << "expected " << count << " mails, got:\n" << Describe(next);
    EXPECT_FALSE(more) << "expected " << count << " mails, got:\n" << Describe(next);
    for (const ReceivedMail& mail : next)
      ExpectWellFormedDelivery(mail);
    return next;
  }

  // Waits for the next two mails, one to each customer address (the
  // request's notify_email and the requester), checks that each has
  // `subject` and a body holding every one of `texts`, and returns them.
  std::vector<ReceivedMail> NextCustomerMail(const std::string& subject,
                                             const std::vector<std::string>& texts) {
    std::vector<ReceivedMail> mails = NextMail(2);
    EXPECT_EQ(Recipients(mails), Sorted({kNotified, kRequester}));
    for (const ReceivedMail& mail : mails) {
      EXPECT_EQ(mail.subject, subject);
      ExpectBodyHas(mail, texts);
    }
    return mails;
  }

  std::size_t seen_ = 0;
};

class NewRequestMailTest : public MailTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(NewRequestMailTest, AnnouncesTheRequestToEachCustomerAndToSupportWithASummary) {
  const std::string type = GetParam();
  json extra = {{"department_name", "Sales"}};
  if (type == "non_toll_free") extra.update({{"city", "Acton"}, {"area_code", {"978"}}});
  if (type == "toll_free") extra["area_code"] = {"833", "888"};
  json request = CreateRequest(type, extra);
  std::string id = request["id"];

  std::vector<ReceivedMail> mails = NextMail(3);

  ASSERT_EQ(Recipients(mails), Sorted({kNotified, kRequester, kSupportEmail}));
  for (const std::string customer : {kNotified, kRequester}) {
    ReceivedMail mail = MailTo(mails, customer);
    EXPECT_EQ(mail.subject, Subject(id, "submitted", "we received your request"));
    ExpectBodyHas(mail, SummaryOf(request));
  }
  ReceivedMail support = MailTo(mails, kSupportEmail);
  EXPECT_EQ(support.subject, Subject(id, "submitted", "new request from jdoe"));
  ExpectBodyHas(support, SummaryOf(request));
  for (const ReceivedMail& mail : mails) {
    EXPECT_EQ(mail.raw.find("%PDF"), std::string::npos) << "document bytes in a mail";
  }
}

INSTANTIATE_TEST_SUITE_P(EachType, NewRequestMailTest,
                         ::testing::Values("non_toll_free", "toll_free", "port_in"));

TEST_F(MailTest, TellsCustomersOfAStatusChangeWithItsNote) {
  std::string id = CreateRequest("port_in")["id"];
  NextMail(3);

  MoveOk(id, {{"to", "in_progress"}, {"message", "We are checking your LOA."}});

  NextCustomerMail(Subject(id, "in_progress", "status changed to in_progress"),
                   {id, "We are checking your LOA."});
}

TEST_F(MailTest, SendsTheQuestionWhenARequestAwaitsTheCustomer) {
  std::string id = CreateRequest("non_toll_free")["id"];
  MoveOk(id, {{"to", "in_progress"}});
  NextMail(5);

  MoveOk(id, {{"to", "awaiting_customer"}, {"message", "Which city should the number be in?"}});

  NextCustomerMail(Subject(id, "awaiting_customer", "status changed to awaiting_customer"),
                   {id, "Which city should the number be in?"});
}

TEST_F(MailTest, SendsCustomersAMessageFromSupport) {
  std::string id = CreateRequest("toll_free")["id"];
  MoveOk(id, {{"to", "in_progress"}});
  NextMail(5);

  SupportMessage(id, "The carrier answers within two days.");

  NextCustomerMail(Subject(id, "in_progress", "a message from support"),
                   {id, "The carrier answers within two days."});
}

TEST_F(MailTest, SendsNoMailForAnInternalNote) {
  const std::string secret = "Customer seems to be a reseller; check credit";
  std::string id = CreateRequest("non_toll_free")["id"];
  NextMail(3);

  SupportMessage(id, secret, /*internal=*/true);
  SupportMessage(id, "We are on it.");  // mail after the note, so that it cannot be missed

  for (const ReceivedMail& mail :
       NextCustomerMail(Subject(id, "submitted", "a message from support"), {id})) {
    EXPECT_EQ(mail.raw.find("reseller"), std::string::npos) << mail.raw;
  }
}

TEST_F(MailTest, TellsSupportOfACustomerReplyAndCustomersOfTheMoveItCauses) {
  std::string id = CreateRequest("port_in")["id"];
  MoveOk(id, {{"to", "in_progress"}});
  MoveOk(id, {{"to", "awaiting_customer"}, {"message", "Please send a clearer LOA."}});
  NextMail(7);

  CustomerReply(id, "Signed again, attached.");

  std::vector<ReceivedMail> mails = NextMail(3);
  ASSERT_EQ(Recipients(mails), Sorted({kNotified, kRequester, kSupportEmail}));
  ReceivedMail support = MailTo(mails, kSupportEmail);
  EXPECT_EQ(support.subject, Subject(id, "awaiting_customer", "the customer jdoe wrote"));
  ExpectBodyHas(support, {id, "Signed again, attached."});
  for (const std::string customer : {kNotified, kRequester}) {
    ReceivedMail mail = MailTo(mails, customer);
    EXPECT_EQ(mail.subject, Subject(id, "in_progress", "status changed to in_progress"));
    EXPECT_TRUE(Contains(mail.text, id));
  }
}

TEST_F(MailTest, TellsOnlySupportOfAReplyWhileSupportIsWorking) {
  std::string id = CreateRequest("toll_free")["id"];
  MoveOk(id, {{"to", "in_progress"}});
  NextMail(5);

  CustomerReply(id, "Any news?");

  std::vector<ReceivedMail> mails = NextMail(1);
  ASSERT_EQ(Recipients(mails), std::vector<std::string>{kSupportEmail});
  EXPECT_EQ(mails[0].subject, Subject(id, "in_progress", "the customer jdoe wrote"));
  ExpectBodyHas(mails[0], {id, "Any news?"});
}

TEST_F(MailTest, NamesTheUserTheNumberWasAssignedToOnCompletion) {
  std::string id = CreateRequest("toll_free", {{"assign_to_user", "s_smith"}})["id"];
  MoveOk(id, {{"to", "in_progress"}});
  NextMail(5);
  std::string number = NextTollFreeNumber();

  MoveOk(id, {{"to", "completed"}, {"number", number}});

  for (const ReceivedMail& mail :
       NextCustomerMail(Subject(id, "completed", "your number " + number + " is active"),
                        {id, number, "s_smith"})) {
    EXPECT_EQ(mail.text.find("default user"), std::string::npos) << mail.text;
  }
}

TEST_F(MailTest, SaysPlainlyWhenTheNumberWentToTheDefaultUser) {
  std::string id = CreateRequest("non_toll_free")["id"];
  MoveOk(id, {{"to", "in_progress"}});
  NextMail(5);
  std::string number = NextLocalNumber();

  MoveOk(id, {{"to", "completed"}, {"number", number}});

  NextCustomerMail(Subject(id, "completed", "your number " + number + " is active"),
                   {id, number, "default user acme_default"});
}

TEST_F(MailTest, TellsCustomersAndSupportOfACancellationWithItsReason) {
  std::string id = CreateRequest("non_toll_free")["id"];
  NextMail(3);

  HttpResult cancelled =
      api_->PostJson(CustomerPath(id, "/cancel"), {{"reason", "Found a number elsewhere."}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;

  std::vector<ReceivedMail> mails = NextMail(3);
  ASSERT_EQ(Recipients(mails), Sorted({kNotified, kRequester, kSupportEmail}));
  for (const char* customer : {kNotified, kRequester}) {
    ReceivedMail mail = MailTo(mails, customer);
    EXPECT_EQ(mail.subject, Subject(id, "cancelled", "status changed to cancelled"));
    ExpectBodyHas(mail, {id, "Found a number elsewhere."});
  }
  // Support may have a carrier order to stop.
  ReceivedMail support = MailTo(mails, kSupportEmail);
  EXPECT_EQ(support.subject, Subject(id, "cancelled", "the customer jdoe cancelled it"));
  ExpectBodyHas(support, {id, "Found a number elsewhere."});
}

TEST_F(MailTest, TellsCustomersOfARejectionWithItsReason) {
  std::string id = CreateRequest("port_in")["id"];
  NextMail(3);

  MoveOk(id, {{"to", "rejected"}, {"reason", "The number cannot be ported."}});

  NextCustomerMail(Subject(id, "rejected", "status changed to rejected"),
                   {id, "The number cannot be ported."});
}

TEST_F(MailTest, EscapesTypedTextInTheHtmlPart) {
  std::string id = CreateRequest("toll_free", {{"comment", "<i>rush</i> & thanks"}})["id"];
  std::vector<ReceivedMail> created = NextMail(3);

  SupportMessage(id, "Use <b>x</b> & \"quotes\"");

  std::vector<ReceivedMail> mails = NextMail(2);
  ASSERT_EQ(mails.size(), 2u);
  for (const ReceivedMail& mail : mails) {
    EXPECT_TRUE(Contains(mail.text, "Use <b>x</b> & \"quotes\""));
    EXPECT_TRUE(Contains(mail.html, "&lt;b&gt;x&lt;/b&gt; &amp;"));
    EXPECT_EQ(mail.html.find("<b>x</b>"), std::string::npos) << mail.html;
  }
  for (const ReceivedMail& mail : created) {
    EXPECT_TRUE(Contains(mail.text, "<i>rush</i> & thanks"));
    EXPECT_TRUE(Contains(mail.html, "&lt;i&gt;rush&lt;/i&gt; &amp; thanks"));
    EXPECT_EQ(mail.html.find("<i>rush</i>"), std::string::npos) << mail.html;
  }
}

TEST_F(MailTest, GivesEachMailItsOwnMessageIdNamingItsEvent) {
  json request = CreateRequest("non_toll_free");
  std::string id = request["id"];
  std::vector<ReceivedMail> created = NextMail(3);
  json moved = MoveOk(id, {{"to", "in_progress"}});
  std::vector<ReceivedMail> moves = NextMail(2);
  json message = SupportMessage(id, "We are on it.");
  std::vector<ReceivedMail> messages = NextMail(2);

  const std::pair<std::vector<ReceivedMail>*, std::string> batches[] = {
      {&created, request["events"][0]["id"].get<std::string>()},
      {&moves, moved["events"].back()["id"].get<std::string>()},
      {&messages, message["id"].get<std::string>()},
  };
  std::set<std::string> ids;
  for (const auto& [mails, event_id] : batches) {
    for (const ReceivedMail& mail : *mails) {
      EXPECT_EQ(mail.message_id.rfind("<" + event_id + ".", 0), 0u)
          << mail.message_id << " is not of " << event_id;
      ids.insert(mail.message_id);
    }
  }
  EXPECT_EQ(ids.size(), 7u) << "a Message-ID was given twice";
}

// Delivery when the SMTP server is down, or numberdesk dies mid-delivery.
class MailDeliveryTest : public NotificationTest {};

TEST_F(MailDeliveryTest, DeliversEveryMessageExactlyOnceWhenSmtpComesBack) {
  StartServer(SmtpOptions({"--retry-initial", "0.2", "--retry-max", "1"}));
  std::multiset<std::pair<std::string, std::string>> expected;  // (recipient, subject)
  for (int i = 0; i < 3; ++i) {
    std::string id = CreateRequest("non_toll_free")["id"];
    MoveOk(id, {{"to", "in_progress"}});
    MoveOk(id, {{"to", "awaiting_customer"}, {"message", "Which city?"}});
    for (const std::string customer : {kNotified, kRequester}) {
      expected.emplace(customer, Subject(id, "submitted", "we received your request"));
      expected.emplace(customer, Subject(id, "in_progress", "status changed to in_progress"));
      expected.emplace(customer,
                       Subject(id, "awaiting_customer", "status changed to awaiting_customer"));
    }
  }
  ASSERT_TRUE(WaitFor(
      [&] {
        std::vector<json> pending = Outbox("pending");
        return pending.size() == expected.size() &&
               std::all_of(pending.begin(), pending.end(),
                           [](const json& message) { return message["attempts"] >= 2; });
      },
      kDeliveryTimeout))
      << "the messages were not tried and retried while SMTP was down";

  smtp_.Start();

  EXPECT_TRUE(WaitFor([&] { return smtp_.Received().size() >= expected.size(); }, 15s));
  EXPECT_FALSE(WaitFor([&] { return smtp_.Received().size() > expected.size(); }, kLongQuiet));
  std::vector<ReceivedMail> mails = smtp_.Received();
  std::multiset<std::pair<std::string, std::string>> received;
  std::map<std::string, int> copies;
  for (const ReceivedMail& mail : mails) {
    ExpectWellFormedDelivery(mail);
    received.emplace(mail.to, mail.subject);
    ++copies[mail.message_id];
  }
  EXPECT_EQ(received, expected) << Describe(mails);
  EXPECT_EQ(copies.size(), expected.size()) << Describe(mails);
  for (const auto& [message_id, count] : copies)
    EXPECT_EQ(count, 1) << message_id;
}

TEST_F(MailDeliveryTest, ResendsAMessageCutOffByACrashAtMostOnceWithTheSameMessageId) {
  smtp_.Start({.hold_reply_seconds = 3, .hold_count = 1});
  StartServer(SmtpOptions({"--delivery-lease", "2", "--retry-initial", "0.2"}));
  std::string id = CreateRequest("non_toll_free")["id"];  // for kNotified and kRequester

  // The first message is stored, and its 250 is still 3 s away: kill numberdesk.
  ASSERT_TRUE(WaitFor([&] { return !smtp_.Received().empty(); }, kDeliveryTimeout));
  ReceivedMail held = smtp_.Received().front();
  server_->Signal(SIGKILL);
  ASSERT_EQ(server_->WaitForExit(5s), 128 + SIGKILL);
  server_->Start();
  Connect();

  EXPECT_TRUE(WaitFor([&] { return Outbox("sent").size() == 2; }, 15s))
      << "not every message was delivered after the restart";
  EXPECT_FALSE(WaitFor([&] { return smtp_.Received().size() > 3; }, kLongQuiet));
  std::vector<ReceivedMail> mails = smtp_.Received();
  std::map<std::string, int> copies;
  std::set<std::string> recipients;
  for (const ReceivedMail& mail : mails) {
    ExpectWellFormedDelivery(mail);
    EXPECT_EQ(mail.subject, Subject(id, "submitted", "we received your request"));
    if (mail.to == held.to) {
      EXPECT_EQ(mail.message_id, held.message_id);
    }
    ++copies[mail.message_id];
    recipients.insert(mail.to);
  }
  EXPECT_EQ(recipients, (std::set<std::string>{kNotified, kRequester})) << Describe(mails);
  ASSERT_EQ(copies.size(), 2u) << Describe(mails);
  EXPECT_GE(copies[held.message_id], 1);
  EXPECT_LE(copies[held.message_id], 2) << Describe(mails);
  for (const auto& [message_id, count] : copies) {
    if (message_id != held.message_id) {
      EXPECT_EQ(count, 1) << message_id;
    }
  }
}

// Without --smtp-url, mail is written under <data-dir>/mail/.
class EmlMailTest : public NotificationTest {
 protected:
  void SetUp() override { StartServer({}); }

  std::vector<std::filesystem::path> MailFiles() const {
    std::vector<std::filesystem::path> files;
    std::filesystem::path folder = server_->data_dir() / "mail";
    std::error_code missing;
    for (const auto& entry : std::filesystem::directory_iterator(folder, missing)) {
      if (entry.path().extension() == ".eml") files.push_back(entry.path());
    }
    return files;
  }
};

// The lower-cased names of the header fields that open `message`.
std::set<std::string> HeaderNames(const std::string& message) {
  std::set<std::string> names;
  std::istringstream lines(message);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') continue;  // a folded line
    std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      names.insert("(not a header: " + line + ")");
      continue;
    }
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names.insert(name);
  }
  return names;
}

TEST_F(EmlMailTest, WritesEachMailAsAnEmlFileWithoutAnSmtpServer) {
  std::string id = CreateRequest("non_toll_free")["id"];

  ASSERT_TRUE(WaitFor([&] { return MailFiles().size() >= 2; }, kDeliveryTimeout));
  EXPECT_FALSE(WaitFor([&] { return MailFiles().size() > 2; }, kQuiet));

  std::vector<ReceivedMail> mails;
  for (const std::filesystem::path& file : MailFiles()) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::set<std::string> names = HeaderNames(bytes);
    for (const char* name : {"from", "to", "subject", "message-id", "mime-version"})
      EXPECT_EQ(names.count(name), 1u) << name << " is not a header of:\n" << bytes;
    EXPECT_TRUE(Contains(bytes, "text/plain"));
    ReceivedMail mail = ParseMailFile(file);
    ExpectWellFormed(mail, kDefaultMailFrom);
    EXPECT_EQ(mail.subject, Subject(id, "submitted", "we received your request"));
    EXPECT_TRUE(Contains(mail.text, id));
    mails.push_back(mail);
  }
  EXPECT_EQ(Recipients(mails), Sorted({kNotified, kRequester}));
}

// Webhooks, to a receiver of our own; mail goes to .eml files meanwhile.
class WebhookTest : public NotificationTest {
 protected:
  void SetUp() override {
    hook_.Start();
    StartServer({"--retry-initial", "0.2", "--retry-max", "1"});
  }

  json Register(const std::string& url) {
    HttpResult created = api_->PostJson(kWebhooksPath, {{"url", url}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json();
  }

  // The account's webhooks by id, as listed.
  std::map<std::string, json> Listed() {
    HttpResult listed = api_->Get(kWebhooksPath);
    EXPECT_EQ(listed.status, 200) << listed.body;
    std::map<std::string, json> webhooks;
    json body = listed.Json();
    for (const json& webhook : body["webhooks"])
      webhooks[webhook.value("id", "")] = webhook;
    return webhooks;
  }

  // The ids of the customer-visible events of request `id` (all but the
  // internal notes, which go to `internal`).
  std::multiset<std::string> VisibleEventIds(const std::string& id,
                                             std::set<std::string>* internal = nullptr) {
    std::multiset<std::string> ids;
    json request = StaffView(id);
    for (const json& event : request["events"]) {
      if (event["visibility"] == "customer") {
        ids.insert(event["id"].get<std::string>());
      } else if (internal != nullptr) {
        internal->insert(event["id"].get<std::string>());
      }
    }
    return ids;
  }

  // Waits until `count` posts came, and watches a moment for more.
  std::vector<ReceivedPost> PostsOnceSettled(std::size_t count) {
    EXPECT_TRUE(WaitFor([&] { return hook_.Received().size() >= count; }, kDeliveryTimeout))
        << "got " << hook_.Received().size() << " of " << count << " posts";
    EXPECT_FALSE(WaitFor([&] { return hook_.Received().size() > count; }, 1s))
        << "got " << hook_.Received().size() << " posts, expected " << count;
    return hook_.Received();
  }
};

TEST_F(WebhookTest, PostsEveryCustomerVisibleEventOnceWithAValidSignature) {
  json webhook = Register(hook_.url("/hook"));
  ASSERT_EQ(webhook["id"].get<std::string>().rfind("whk_", 0), 0u) << webhook;
  ASSERT_EQ(webhook["secret"].get<std::string>().rfind("whsec_", 0), 0u) << webhook;
  EXPECT_EQ(webhook["url"], hook_.url("/hook"));
  EXPECT_TRUE(webhook["created_at"].is_string());

  std::string id = CreateRequest("port_in")["id"];
  MoveOk(id, {{"to", "in_progress"}});
  SupportMessage(id, "We are on it.");
  SupportMessage(id, "Customer seems to be a reseller", /*internal=*/true);
  MoveOk(id, {{"to", "awaiting_customer"}, {"message", "Please send a clearer LOA."}});
  CustomerReply(id, "Signed again.");  // a message, and the move back to in_progress
  std::set<std::string> internal;
  std::multiset<std::string> visible = VisibleEventIds(id, &internal);
  ASSERT_EQ(visible.size(), 6u);
  ASSERT_EQ(internal.size(), 1u);

  std::vector<ReceivedPost> posts = PostsOnceSettled(visible.size());

  EXPECT_EQ(DeliveredEventIds(posts), visible);
  json staff = StaffView(id);
  std::map<std::string, json> events;
  for (const json& event : staff["events"])
    events[event["id"].get<std::string>()] = event;
  std::set<std::string> delivery_ids;
  for (const ReceivedPost& post : posts) {
    json body = json::parse(post.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << post.body;
    SCOPED_TRACE(post.body);
    EXPECT_EQ(post.path, "/hook");
    EXPECT_EQ(post.Header("content-type").value_or("").rfind("application/json", 0), 0u);
    EXPECT_TRUE(IsSignedWith(post, webhook["secret"].get<std::string>()));
    EXPECT_EQ(post.Header("numberdesk-delivery"), body["id"].get<std::string>());
    EXPECT_EQ(body["id"].get<std::string>().rfind("dlv_", 0), 0u);
    delivery_ids.insert(body["id"].get<std::string>());
    EXPECT_EQ(body["type"], "request.event");
    EXPECT_EQ(body["account_id"], staff["account_id"]);
    EXPECT_EQ(body["request"]["id"], id);
    EXPECT_EQ(body["request"]["type"], "port_in");
    const json& event = body["event"];
    const json& recorded = events[event.value("id", "")];
    EXPECT_EQ(event["visibility"], "customer");
    for (const char* key : {"kind", "note", "actor", "old_status", "new_status", "occurred_at"})
      EXPECT_EQ(event[key], recorded[key]) << key;
  }
  EXPECT_EQ(delivery_ids.size(), posts.size()) << "a delivery id was used twice";
}

TEST_F(WebhookTest, DeliversEventsMadeWhileTheReceiverWasDownOnceItIsBack) {
  Register(hook_.url("/hook"));
  std::string id = CreateRequest("non_toll_free")["id"];
  PostsOnceSettled(1);

  hook_.Stop();
  MoveOk(id, {{"to", "in_progress"}});
  SupportMessage(id, "We are on it.");
  ASSERT_TRUE(WaitFor(
      [&] {
        std::vector<json> pending = Outbox("pending", "webhook");
        return pending.size() == 2 &&
               std::all_of(pending.begin(), pending.end(),
                           [](const json& message) { return message["attempts"] >= 3; });
      },
      kDeliveryTimeout))
      << "the deliveries were not tried and retried while the receiver was down";
  hook_.Start();

  std::vector<ReceivedPost> posts = PostsOnceSettled(3);
  EXPECT_EQ(DeliveredEventIds(posts), VisibleEventIds(id));
}

TEST_F(WebhookTest, ListsWebhooksWithoutTheirSecretsAndDeleteStopsDeliveries) {
  json first = Register(hook_.url("/first"));
  json second = Register(hook_.url("/second"));

  std::map<std::string, json> listed = Listed();
  ASSERT_EQ(listed.size(), 2u);
  for (json created : {first, second}) {
    std::string secret = created["secret"];
    created.erase("secret");
    EXPECT_EQ(listed[created["id"].get<std::string>()], created);
    EXPECT_EQ(api_->Get(kWebhooksPath).body.find(secret), std::string::npos);
  }

  HttpResult deleted =
      api_->Send("DELETE", std::string(kWebhooksPath) + "/" + first["id"].get<std::string>());
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(Listed().size(), 1u);
  EXPECT_EQ(Listed().count(second["id"].get<std::string>()), 1u);

  CreateRequest("toll_free");
  std::vector<ReceivedPost> posts = PostsOnceSettled(1);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/second");
}

TEST_F(WebhookTest, RefusesAUrlThatIsNotHttp) {
  for (const json& body : {json{{"url", "ftp://x"}}, json{{"url", "not a url"}}, json::object()}) {
    SCOPED_TRACE(body.dump());
    HttpResult refused = api_->PostJson(kWebhooksPath, body);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_FALSE(FieldError(refused, "/url").is_null()) << refused.body;
  }
  EXPECT_TRUE(HasFieldError(api_->PostJson(kWebhooksPath, json::object()), "/url", "required"));
  EXPECT_TRUE(Listed().empty());
}

// libcurl would post "http:///path" to a host called "path"; none of these
// can receive a delivery, so none is stored.
TEST_F(WebhookTest, RefusesAUrlWithoutAUsableHostOrPort) {
  for (const char* url : {"http:///path", "http://x.example:0/h", "http://-x.example/",
                          "http://x..example/", "http://\u00e9.example/", "http:/x.example/h",
                          "https://x.example/h#", "https://@x.example/h"}) {
    SCOPED_TRACE(url);
    HttpResult refused = api_->PostJson(kWebhooksPath, {{"url", url}});
    EXPECT_TRUE(IsProblem(refused, 400, "invalid_url")) << refused.body;
    EXPECT_TRUE(HasFieldError(refused, "/url", "invalid_url")) << refused.body;
  }
  EXPECT_EQ(FieldError(api_->PostJson(kWebhooksPath, {{"url", "http://x.example:0/h"}}),
                       "/url")["detail"],
            "The port must be from 1 to 65535.");
  EXPECT_TRUE(Listed().empty());
  EXPECT_EQ(api_->PostJson(kWebhooksPath, {{"url", "http://xn--9ca.example:1/h"}}).status, 201);
}

TEST_F(WebhookTest, OnlyAnAdministratorWhoManagesNumbersManagesWebhooks) {
  json webhook = Register(hook_.url("/hook"));
  std::string path = std::string(kWebhooksPath) + "/" + webhook["id"].get<std::string>();
  HttpClient viewer(server_->base_url(), server_->viewer_token());
  for (HttpClient* other : {desk_.get(), &viewer}) {
    EXPECT_TRUE(
        IsProblem(other->PostJson(kWebhooksPath, {{"url", hook_.url()}}), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(other->Get(kWebhooksPath), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(other->Send("DELETE", path), 403, "forbidden"));
  }
  EXPECT_EQ(Listed().size(), 1u);
}

// The support desk's view of what was sent, is waiting, or was given up.
class OutboxTest : public NotificationTest {};

TEST_F(OutboxTest, ListsDeliveredMailAsSent) {
  smtp_.Start();
  StartServer(SmtpOptions());
  json request = CreateRequest("non_toll_free");

  ASSERT_TRUE(WaitFor([&] { return Outbox("sent").size() == 2; }, kDeliveryTimeout));

  std::map<std::string, std::string> message_ids;  // recipient -> Message-ID received
  for (const ReceivedMail& mail : smtp_.Received())
    message_ids[mail.to] = mail.message_id;
  std::vector<std::string> recipients;
  for (const json& message : Outbox("sent")) {
    SCOPED_TRACE(message.dump());
    for (const char* key :
         {"id", "event_id", "request_id", "channel", "recipient", "message_id", "state", "attempts",
          "next_attempt_at", "last_error", "created_at", "sent_at"}) {
      EXPECT_TRUE(message.contains(key)) << key;
    }
    EXPECT_EQ(message["request_id"], request["id"]);
    EXPECT_EQ(message["event_id"], request["events"][0]["id"]);
    EXPECT_EQ(message["state"], "sent");
    EXPECT_EQ(message["attempts"], 1);
    EXPECT_TRUE(message["last_error"].is_null());
    EXPECT_TRUE(message["sent_at"].is_string());
    std::string recipient = message["recipient"];
    EXPECT_EQ(message["message_id"], message_ids[recipient]);
    recipients.push_back(recipient);
  }
  EXPECT_EQ(Sorted(recipients), Sorted({kNotified, kRequester}));
  EXPECT_TRUE(Outbox("pending").empty());
  EXPECT_TRUE(Outbox("failed").empty());
}

TEST_F(OutboxTest, MarksMailFailedAfterTheLastAttempt) {
  // smtp_ is never started: nothing listens at its port.
  StartServer(SmtpOptions({"--max-attempts", "2", "--retry-initial", "0.2", "--retry-max", "0.2"}));
  json request = CreateRequest("non_toll_free");

  ASSERT_TRUE(WaitFor([&] { return Outbox("failed").size() == 2; }, kDeliveryTimeout));

  for (const json& message : Outbox("failed")) {
    SCOPED_TRACE(message.dump());
    EXPECT_EQ(message["request_id"], request["id"]);
    EXPECT_EQ(message["state"], "failed");
    EXPECT_EQ(message["attempts"], 2);
    ASSERT_TRUE(message["last_error"].is_string());
    EXPECT_FALSE(message["last_error"].get<std::string>().empty());
    EXPECT_TRUE(message["sent_at"].is_null());
  }
  EXPECT_TRUE(Outbox("pending").empty());
  EXPECT_TRUE(Outbox("sent").empty());
}

TEST_F(OutboxTest, SendsAFailedMessageAgainWhenSupportRetriesIt) {
  // The server gives up at once: nothing listens at the sink's port yet.
  StartServer(SmtpOptions({"--max-attempts", "1"}));
  json request = CreateRequest("non_toll_free");
  ASSERT_TRUE(WaitFor([&] { return Outbox("failed").size() == 2; }, kDeliveryTimeout));

  smtp_.Start();
  for (const json& message : Outbox("failed")) {
    std::string path = "/api/support/outbox/" + message["id"].get<std::string>() + "/retry";
    HttpResult retried = desk_->Send("POST", path, "", {"Content-Type:"});
    EXPECT_EQ(retried.status, 202) << retried.body;
    EXPECT_EQ(retried.Json(), (json{{"id", message["id"]}, {"state", "pending"}}));
  }

  ASSERT_TRUE(WaitFor([&] { return Outbox("sent").size() == 2; }, kDeliveryTimeout));
  EXPECT_EQ(smtp_.Received().size(), 2u);
  EXPECT_TRUE(Outbox("failed").empty());
  // Only a failed message can be retried.
  std::string sent = Outbox("sent").front()["id"];
  EXPECT_TRUE(IsProblem(
      desk_->Send("POST", "/api/support/outbox/" + sent + "/retry", "", {"Content-Type:"}), 404,
      "not_found"));
}

// A retry starts a fresh round of --max-attempts attempts, so `attempts`
// never shows more than that.
TEST_F(OutboxTest, ARetriedMessageGetsAFreshRoundOfAttempts) {
  // smtp_ is never started: nothing listens at its port.
  StartServer(SmtpOptions({"--max-attempts", "2", "--retry-initial", "0.2", "--retry-max", "0.2"}));
  CreateRequest("non_toll_free");
  ASSERT_TRUE(WaitFor([&] { return Outbox("failed").size() == 2; }, kDeliveryTimeout));
  std::string id = Outbox("failed")[0]["id"];

  HttpResult retry = desk_->Send("POST", "/api/support/outbox/" + id + "/retry", "", {kJsonType});
  EXPECT_EQ(retry.status, 202) << retry.body;
  EXPECT_EQ(retry.Json(), (json{{"id", id}, {"state", "pending"}}));

  ASSERT_TRUE(WaitFor(
      [&] {
        std::vector<json> failed = Outbox("failed");
        return failed.size() == 2 && Outbox("pending").empty();
      },
      kDeliveryTimeout));
  for (const json& message : Outbox("failed")) {
    SCOPED_TRACE(message.dump());
    EXPECT_EQ(message["attempts"], 2);
  }
}

// Sending a delivery again whose webhook was deleted could only fail with
// "the webhook was deleted"; support is told so, and the message stays.
TEST_F(OutboxTest, RefusesToRetryADeliveryToADeletedWebhook) {
  // hook_ is never started: nothing listens at its port.
  StartServer({"--max-attempts", "2", "--retry-initial", "0.2", "--retry-max", "0.2"});
  HttpResult registered = api_->PostJson(kWebhooksPath, {{"url", hook_.url("/hook")}});
  ASSERT_EQ(registered.status, 201) << registered.body;
  CreateRequest("toll_free");
  ASSERT_TRUE(WaitFor([&] { return Outbox("failed", "webhook").size() == 1; }, kDeliveryTimeout));
  json failed = Outbox("failed", "webhook")[0];
  EXPECT_EQ(failed["attempts"], 2);
  std::string webhook = registered.Json()["id"];
  ASSERT_EQ(api_->Send("DELETE", std::string(kWebhooksPath) + "/" + webhook).status, 204);

  std::string retry_path = "/api/support/outbox/" + failed["id"].get<std::string>() + "/retry";
  EXPECT_TRUE(IsProblem(desk_->Send("POST", retry_path, "", {kJsonType}), 409, "webhook_deleted"));

  std::vector<json> still = Outbox("failed", "webhook");
  ASSERT_EQ(still.size(), 1u);
  EXPECT_EQ(still[0], failed);
  EXPECT_TRUE(Outbox("pending", "webhook").empty());
}

TEST_F(OutboxTest, IsForSupportAgentsOnly) {
  StartServer({});
  HttpClient viewer(server_->base_url(), server_->viewer_token());
  for (HttpClient* customer : {api_.get(), &viewer}) {
    EXPECT_TRUE(IsProblem(customer->Get("/api/support/outbox?state=sent"), 403, "forbidden"));
  }
  EXPECT_EQ(desk_->Get("/api/support/outbox?state=sent").status, 200);
}

}  // namespace
}  // namespace numberdesk::testing
