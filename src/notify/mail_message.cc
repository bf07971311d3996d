#include "notify/mail_message.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

namespace numberdesk {
namespace {

struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

void InitGMimeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// A UTF-8 text part of `subtype` ("plain", "html"), quoted-printable.
GMimePart* TextPart(const char* subtype, const std::string& body) {
  GMimePart* part = g_mime_part_new_with_type("text", subtype);
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
  GObjectPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.get());
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return part;
}

}  // namespace

std::string RenderMail(const Mail& mail, std::string_view from,
                       std::chrono::system_clock::time_point date) {
  InitGMimeOnce();
  GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  std::string sender(from);
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, nullptr, sender.c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, mail.to.c_str());
  g_mime_message_set_subject(message.get(), mail.subject.c_str(), "utf-8");
  std::string id = mail.message_id;
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  g_mime_message_set_message_id(message.get(), id.c_str());
  GDateTime* when = g_date_time_new_from_unix_utc(
      std::chrono::duration_cast<std::chrono::seconds>(date.time_since_epoch()).count());
  g_mime_message_set_date(message.get(), when);
  g_date_time_unref(when);
  g_mime_object_set_header(GMIME_OBJECT(message.get()), "Auto-Submitted", "auto-generated",
                           nullptr);

  GObjectPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
  GObjectPtr<GMimePart> text(TextPart("plain", mail.text));
  GObjectPtr<GMimePart> html(TextPart("html", mail.html));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text.get()));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(alternative.get()));

  GMimeFormatOptions* options = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* rendered = g_mime_object_to_string(GMIME_OBJECT(message.get()), options);
  g_mime_format_options_free(options);
  std::string result = rendered != nullptr ? rendered : "";
  g_free(rendered);
  return result;
}

}  // namespace numberdesk
