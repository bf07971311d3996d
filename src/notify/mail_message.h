#ifndef NUMBERDESK_NOTIFY_MAIL_MESSAGE_H_
#define NUMBERDESK_NOTIFY_MAIL_MESSAGE_H_

#include <chrono>
#include <string>
#include <string_view>

#include "domain/notifications.h"

namespace numberdesk {

// RenderMail writes `mail` as an RFC 5322 message from `from`, dated `date`:
// multipart/alternative with a text/plain and a text/html part, both UTF-8
// and quoted-printable, and mail.message_id as its Message-ID. Rendering is
// GMime's.
std::string RenderMail(const Mail& mail, std::string_view from,
                       std::chrono::system_clock::time_point date);

}  // namespace numberdesk

#endif  // NUMBERDESK_NOTIFY_MAIL_MESSAGE_H_
