#include "http/multipart.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "domain/text.h"

namespace numberdesk::http {
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

std::string ContentTypeOf(GMimeObject* part) {
  GMimeContentType* type = g_mime_object_get_content_type(part);
  if (type == nullptr) return "text/plain";
  char* mime_type = g_mime_content_type_get_mime_type(type);
  std::string text = mime_type != nullptr ? mime_type : "text/plain";
  g_free(mime_type);
  return text;
}

// The file name of a form-data part as browsers and curl write it (the HTML
// form-data rules): a quoted value in which a backslash is an ordinary
// character and only '"', CR and LF are percent-encoded. GMime reads the
// value as an RFC 2045 quoted-string, where a backslash escapes the next
// character, and would turn "C:\docs\loa.pdf" into "C:docsloa.pdf", so
// that the path could not be removed. A quoted filename is therefore read
// here from the raw header. Nothing is returned when the header has a
// "filename*" (RFC 2231, which GMime decodes), no quoted filename, a quote
// escaped with a backslash, or is folded over several lines: GMime's value
// stands then.
std::optional<std::string> QuotedFileName(std::string_view header) {
  while (!header.empty() && (header.back() == '\n' || header.back() == '\r')) {
    header.remove_suffix(1);
  }
  if (header.find_first_of("\r\n") != std::string_view::npos) return std::nullopt;

  std::optional<std::string> filename;
  std::size_t at = header.find(';');  // the parameters follow the disposition type
  while (at != std::string_view::npos) {
    std::size_t equals = header.find_first_of("=;", at + 1);
    if (equals == std::string_view::npos) break;
    if (header[equals] == ';') {
      at = equals;
      continue;
    }
    std::string name = AsciiLower(TrimWhitespace(header.substr(at + 1, equals - at - 1)));
    if (name == "filename*") return std::nullopt;
    std::size_t value = header.find_first_not_of(" \t", equals + 1);
    if (value == std::string_view::npos) break;
    if (header[value] != '"') {
      at = header.find(';', value);
      continue;
    }
    std::size_t close = header.find('"', value + 1);
    if (close == std::string_view::npos) return std::nullopt;
    // Text after the closing quote means the quote was escaped with a
    // backslash, as older clients do; GMime reads that form correctly.
    std::size_t next = header.find_first_not_of(" \t", close + 1);
    if (next != std::string_view::npos && header[next] != ';') return std::nullopt;
    if (name == "filename") filename = std::string(header.substr(value + 1, close - value - 1));
    at = next;
  }
  if (!filename) return std::nullopt;

  static const std::pair<std::string_view, char> kEscapes[] = {
      {"%22", '"'}, {"%0D", '\r'}, {"%0A", '\n'}};
  for (const auto& [escape, plain] : kEscapes) {
    for (std::size_t i = filename->find(escape); i != std::string::npos;
         i = filename->find(escape, i + 1)) {
      filename->replace(i, escape.size(), 1, plain);
    }
  }
  return filename;
}

std::string BodyOf(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GObjectPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// Whether `body` has the close delimiter "--boundary--" at the start of a
// line. Without it the body was cut short, and the last part would keep the
// line break that belongs to the missing delimiter.
bool HasCloseDelimiter(std::string_view body, std::string_view boundary) {
  std::string close = "--" + std::string(boundary) + "--";
  for (std::size_t at = body.find(close); at != std::string_view::npos;
       at = body.find(close, at + 1)) {
    if (at == 0 || body[at - 1] == '\n') return true;
  }
  return false;
}

}  // namespace

bool IsFormDataContentType(std::string_view content_type) {
  std::string lower = AsciiLower(TrimWhitespace(content_type));
  std::string_view type = std::string_view(lower).substr(0, lower.find(';'));
  return TrimWhitespace(type) == "multipart/form-data";
}

MultipartParse ParseFormData(std::string_view content_type, std::string_view body) {
  if (!IsFormDataContentType(content_type)) return {std::nullopt, MultipartError::kNotMultipart};
  InitGMimeOnce();

  GObjectPtr<GMimeContentType> type(
      g_mime_content_type_parse(nullptr, std::string(content_type).c_str()));
  const char* boundary = type ? g_mime_content_type_get_parameter(type.get(), "boundary") : nullptr;
  if (boundary == nullptr) return {std::nullopt, MultipartError::kMissingBoundary};
  if (!HasCloseDelimiter(body, boundary)) return {std::nullopt, MultipartError::kMalformed};

  // GMime parses a MIME entity, so the body is given its Content-Type header.
  std::string entity = "Content-Type: " + std::string(content_type) + "\r\n\r\n";
  entity.append(body);
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(entity.data(), entity.size()));
  entity.clear();
  entity.shrink_to_fit();
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GObjectPtr<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
  if (!root || !GMIME_IS_MULTIPART(root.get())) return {std::nullopt, MultipartError::kMalformed};

  std::vector<FormPart> parts;
  GMimeMultipart* multipart = GMIME_MULTIPART(root.get());
  int count = g_mime_multipart_get_count(multipart);
  if (count == 0) return {std::nullopt, MultipartError::kMalformed};
  for (int i = 0; i < count; ++i) {
    GMimeObject* object = g_mime_multipart_get_part(multipart, i);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    // A nested multipart, or a part that is not a named form field, is not
    // something a form sends; refusing it beats silently dropping a file.
    if (disposition == nullptr || !GMIME_IS_PART(object)) {
      return {std::nullopt, MultipartError::kMalformed};
    }
    const char* kind = g_mime_content_disposition_get_disposition(disposition);
    const char* name = g_mime_content_disposition_get_parameter(disposition, "name");
    if (kind == nullptr || g_ascii_strcasecmp(kind, "form-data") != 0 || name == nullptr) {
      return {std::nullopt, MultipartError::kMalformed};
    }

    FormPart part;
    part.name = name;
    if (const char* filename = g_mime_content_disposition_get_parameter(disposition, "filename")) {
      part.filename = filename;
      GMimeHeader* header = g_mime_header_list_get_header(g_mime_object_get_header_list(object),
                                                          "Content-Disposition");
      const char* raw = header != nullptr ? g_mime_header_get_raw_value(header) : nullptr;
      if (raw != nullptr) {
        if (std::optional<std::string> as_sent = QuotedFileName(raw)) part.filename = *as_sent;
      }
    }
    part.content_type = ContentTypeOf(object);
    part.body = BodyOf(GMIME_PART(object));
    parts.push_back(std::move(part));
  }
  return {std::move(parts), {}};
}

}  // namespace numberdesk::http
