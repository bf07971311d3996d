#include "notify/mail_message.h"

#include <gtest/gtest.h>

namespace numberdesk {
namespace {

Mail SampleMail() {
  Mail mail;
  mail.to = "ops@acme.example";
  mail.subject = "[req_abc] in_progress: status changed — Montréal";
  mail.text = "Request req_abc is now in_progress.\n\nCafé <b>ok</b>\n";
  mail.html = "<p>Caf&eacute; &lt;b&gt;ok&lt;/b&gt;</p>";
  mail.message_id = "<evt_1.00ff@numberdesk>";
  return mail;
}

TEST(RenderMail, WritesHeadersAndBothBodies) {
  std::string message =
      RenderMail(SampleMail(), "numberdesk@provider.example", std::chrono::system_clock::now());

  EXPECT_NE(message.find("From: numberdesk@provider.example"), std::string::npos) << message;
  EXPECT_NE(message.find("To: ops@acme.example"), std::string::npos) << message;
  EXPECT_NE(message.find("Message-Id: <evt_1.00ff@numberdesk>"), std::string::npos) << message;
  EXPECT_NE(message.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(message.find("text/plain; charset=utf-8"), std::string::npos);
  EXPECT_NE(message.find("text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(message.find("Subject: [req_abc] in_progress"), std::string::npos) << message;
  EXPECT_NE(message.find("=?UTF-8?B?"), std::string::npos) << "non-ASCII words are encoded";
  EXPECT_NE(message.find("Caf=C3=A9"), std::string::npos) << "bodies are quoted-printable";
  EXPECT_NE(message.find("\r\n"), std::string::npos) << "SMTP wants CRLF line ends";
}

}  // namespace
}  // namespace numberdesk
