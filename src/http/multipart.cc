#include "http/multipart.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

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

std::string BodyOf(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GObjectPtr<GMimeStream> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
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
  if (!type || g_mime_content_type_get_parameter(type.get(), "boundary") == nullptr) {
    return {std::nullopt, MultipartError::kMissingBoundary};
  }

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
  for (int i = 0; i < count; ++i) {
    GMimeObject* object = g_mime_multipart_get_part(multipart, i);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    if (disposition == nullptr || !GMIME_IS_PART(object)) continue;
    const char* kind = g_mime_content_disposition_get_disposition(disposition);
    const char* name = g_mime_content_disposition_get_parameter(disposition, "name");
    if (kind == nullptr || g_ascii_strcasecmp(kind, "form-data") != 0 || name == nullptr) continue;

    FormPart part;
    part.name = name;
    if (const char* filename = g_mime_content_disposition_get_parameter(disposition, "filename")) {
      part.filename = filename;
    }
    part.content_type = ContentTypeOf(object);
    part.body = BodyOf(GMIME_PART(object));
    parts.push_back(std::move(part));
  }
  return {std::move(parts), {}};
}

}  // namespace numberdesk::http
