#include "domain/notifications.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace numberdesk {
namespace {

NumberRequest PortIn() {
  NumberRequest request;
  request.id = "req_abc";
  request.type = RequestType::kPortIn;
  request.country_code = "US";
  request.number_to_port = "+19782631234";
  request.notify_email = {"ops@acme.example", "JDOE@acme.example"};
  request.comment = "Main <b>fax</b> line";
  return request;
}

RequestEvent Event(EventKind kind, std::optional<RequestStatus> from, RequestStatus to,
                   std::string note, EventVisibility visibility = EventVisibility::kCustomer) {
  RequestEvent event;
  event.id = "evt_1";
  event.kind = kind;
  event.old_status = from;
  event.new_status = to;
  event.note = std::move(note);
  event.visibility = visibility;
  event.actor_username = "jdoe";
  return event;
}

std::vector<std::string> Recipients(const std::vector<Mail>& mail) {
  std::vector<std::string> to;
  for (const Mail& item : mail)
    to.push_back(item.to);
  return to;
}

class MailForTest : public ::testing::Test {
 protected:
  MailContext Context(bool staff) {
    MailContext context;
    context.request = &request_;
    context.requester_email = "jdoe@acme.example";
    context.support_email = "desk@provider.example";
    context.actor_is_staff = staff;
    return context;
  }
  NumberRequest request_ = PortIn();
};

TEST_F(MailForTest, ConfirmsANewRequestToCustomersOnceEachAndTellsSupport) {
  std::vector<Mail> mail = MailFor(Event(EventKind::kStatusChange, std::nullopt,
                                         RequestStatus::kSubmitted, "Request submitted."),
                                   Context(false));

  EXPECT_EQ(Recipients(mail), (std::vector<std::string>{"ops@acme.example", "JDOE@acme.example",
                                                        "desk@provider.example"}));
  for (const Mail& item : mail) {
    EXPECT_NE(item.subject.find("req_abc"), std::string::npos) << item.subject;
    EXPECT_NE(item.subject.find("submitted"), std::string::npos) << item.subject;
    EXPECT_NE(item.text.find("+19782631234"), std::string::npos);
  }
  // What the customer typed is escaped in HTML, and kept as typed in text.
  EXPECT_NE(mail[0].html.find("Main &lt;b&gt;fax&lt;/b&gt; line"), std::string::npos);
  EXPECT_EQ(mail[0].html.find("<b>fax"), std::string::npos);
  EXPECT_NE(mail[0].text.find("Main <b>fax</b> line"), std::string::npos);
}

TEST_F(MailForTest, TellsCustomersOfEveryStatusChangeWithItsNote) {
  std::vector<Mail> mail = MailFor(Event(EventKind::kStatusChange, RequestStatus::kInProgress,
                                         RequestStatus::kAwaitingCustomer, "Please sign the LOA."),
                                   Context(true));

  EXPECT_EQ(Recipients(mail), (std::vector<std::string>{"ops@acme.example", "JDOE@acme.example"}));
  EXPECT_NE(mail[0].subject.find("awaiting_customer"), std::string::npos);
  EXPECT_NE(mail[0].text.find("Please sign the LOA."), std::string::npos);
}

TEST_F(MailForTest, SaysWhichNumberCompletedARequest) {
  request_.number = "+19782631234";
  std::vector<Mail> mail = MailFor(
      Event(EventKind::kStatusChange, RequestStatus::kFocScheduled, RequestStatus::kCompleted,
            "+19782631234 is active. Assigned to the account's default user d because "
            "the request named no user."),
      Context(true));

  ASSERT_FALSE(mail.empty());
  EXPECT_NE(mail[0].subject.find("+19782631234 is active"), std::string::npos);
  EXPECT_NE(mail[0].text.find("default user d"), std::string::npos);
}

TEST_F(MailForTest, SendsSupportMessagesToCustomersAndCustomerRepliesToSupport) {
  std::vector<Mail> from_support = MailFor(Event(EventKind::kMessage, RequestStatus::kInProgress,
                                                 RequestStatus::kInProgress, "We are on it."),
                                           Context(true));
  std::vector<Mail> from_customer = MailFor(Event(EventKind::kMessage, RequestStatus::kInProgress,
                                                  RequestStatus::kInProgress, "Any news?"),
                                            Context(false));

  EXPECT_EQ(Recipients(from_support),
            (std::vector<std::string>{"ops@acme.example", "JDOE@acme.example"}));
  EXPECT_EQ(Recipients(from_customer), std::vector<std::string>{"desk@provider.example"});
  EXPECT_NE(from_customer[0].text.find("Any news?"), std::string::npos);
}

TEST_F(MailForTest, TellsSupportWhenTheCustomerSendsDocuments) {
  std::vector<Mail> mail =
      MailFor(Event(EventKind::kDocuments, RequestStatus::kInProgress, RequestStatus::kInProgress,
                    "Replaced the letter of authorisation."),
              Context(false));

  ASSERT_EQ(Recipients(mail), std::vector<std::string>{"desk@provider.example"});
  EXPECT_NE(mail[0].subject.find("the customer jdoe sent documents"), std::string::npos)
      << mail[0].subject;
  EXPECT_NE(mail[0].text.find("Replaced the letter of authorisation."), std::string::npos);
}

TEST_F(MailForTest, TellsSupportAndCustomersWhenTheCustomerCancels) {
  std::vector<Mail> mail =
      MailFor(Event(EventKind::kStatusChange, RequestStatus::kSubmittedToCarrier,
                    RequestStatus::kCancelled, "Found a number elsewhere."),
              Context(false));

  EXPECT_EQ(Recipients(mail), (std::vector<std::string>{"ops@acme.example", "JDOE@acme.example",
                                                        "desk@provider.example"}));
  ASSERT_EQ(mail.size(), 3u);
  EXPECT_NE(mail[2].subject.find("cancelled: the customer jdoe cancelled it"), std::string::npos)
      << mail[2].subject;
  EXPECT_NE(mail[2].text.find("Found a number elsewhere."), std::string::npos);
}

TEST_F(MailForTest, TellsOnlyCustomersWhenSupportRejects) {
  std::vector<Mail> mail = MailFor(Event(EventKind::kStatusChange, RequestStatus::kInProgress,
                                         RequestStatus::kRejected, "The LOA is not signed."),
                                   Context(true));
  EXPECT_EQ(Recipients(mail), (std::vector<std::string>{"ops@acme.example", "JDOE@acme.example"}));
}

TEST_F(MailForTest, NeverMailsInternalNotes) {
  EXPECT_TRUE(MailFor(Event(EventKind::kNote, RequestStatus::kInProgress,
                            RequestStatus::kInProgress, "secret", EventVisibility::kInternal),
                      Context(true))
                  .empty());
}

TEST_F(MailForTest, MailsNoSupportAddressWhenNoneIsConfigured) {
  MailContext context = Context(false);
  context.support_email.clear();

  EXPECT_TRUE(MailFor(Event(EventKind::kMessage, RequestStatus::kInProgress,
                            RequestStatus::kInProgress, "Any news?"),
                      context)
                  .empty());
}

TEST(MessageId, IsStablePerEventAndRecipientIgnoringCase) {
  EXPECT_EQ(MessageIdFor("evt_1", "A@x.example"), MessageIdFor("evt_1", "a@x.example"));
  EXPECT_NE(MessageIdFor("evt_1", "a@x.example"), MessageIdFor("evt_1", "b@x.example"));
  EXPECT_NE(MessageIdFor("evt_1", "a@x.example"), MessageIdFor("evt_2", "a@x.example"));
  EXPECT_TRUE(MessageIdFor("evt_1", "a@x.example").starts_with("<evt_1."));
  EXPECT_TRUE(MessageIdFor("evt_1", "a@x.example").ends_with("@numberdesk>"));
}

TEST(EscapeHtml, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

}  // namespace
}  // namespace numberdesk
