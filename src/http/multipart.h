#ifndef NUMBERDESK_HTTP_MULTIPART_H_
#define NUMBERDESK_HTTP_MULTIPART_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numberdesk::http {

// One part of a multipart/form-data body (RFC 7578).
struct FormPart {
  std::string name;                     // the Content-Disposition name
  std::optional<std::string> filename;  // present when the part is a file
  std::string content_type;             // "text/plain" when the part declares none
  std::string body;                     // the bytes, transfer encoding undone
};

enum class MultipartError {
  kNotMultipart,     // Content-Type is not multipart/form-data
  kMissingBoundary,  // multipart/form-data without a boundary parameter
  kMalformed,        // the body does not parse as form-data parts: see ParseFormData
};

struct MultipartParse {
  std::optional<std::vector<FormPart>> parts;  // set on success, in body order
  MultipartError error{};
};

// ParseFormData splits `body` into its parts using the boundary named in
// `content_type` (the request's Content-Type header). Parsing is GMime's.
// The body is kMalformed when it has no close delimiter ("--boundary--" at the
// start of a line, so a cut-off body is never taken as complete), no parts, a
// part without a "form-data" Content-Disposition with a name, or a nested
// multipart part.
MultipartParse ParseFormData(std::string_view content_type, std::string_view body);

// IsFormDataContentType reports whether `content_type` is multipart/form-data,
// in any letter case and with any parameters.
bool IsFormDataContentType(std::string_view content_type);

}  // namespace numberdesk::http

#endif  // NUMBERDESK_HTTP_MULTIPART_H_
