#include "api/handler_parts.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "documents/pdf_inspector.h"
#include "domain/document_rules.h"
#include "domain/request_validation.h"
#include "domain/text.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "http/router.h"
#include "security/random_ids.h"
#include "security/tokens.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::Problem;

HttpResponse BadParameter(std::string_view name, std::string_view code, std::string detail) {
  return Problem(400, code, detail, {{"parameter", name}});
}

std::optional<int> ParsePageSize(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxPageSize) {
    return std::nullopt;
  }
  return value;
}

std::string JoinedNames(const std::vector<std::string_view>& names) {
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i) {
    joined += i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ");
    joined += names[i];
  }
  return joined;
}

// The port-in document parts and what each is.
struct DocumentPart {
  std::string_view name;
  DocumentKind kind;
  std::string_view description;
  std::string_view fallback_name;
};

constexpr DocumentPart kDocumentParts[] = {
    {"loaFile", DocumentKind::kLoa, "the signed letter of authorisation, a PDF", "loa.pdf"},
    {"billFile", DocumentKind::kBill, "a recent phone bill, a PDF", "bill.pdf"},
};

// CheckPdf appends the upload of `part`, or its error; a file over the size
// limit is the 413 to send.
std::optional<HttpResponse> CheckPdf(const http::FormPart& part, DocumentKind kind,
                                     std::string_view fallback_name, FormRead& read) {
  if (part.body.size() > kMaxDocumentBytes) {
    return Problem(413, "file_too_large",
                   part.name + " is larger than the limit of " + std::to_string(kMaxDocumentBytes) +
                       " bytes per file.",
                   {{"part", part.name}, {"limit_bytes", kMaxDocumentBytes}});
  }
  PdfInspection pdf = InspectPdf(part.body);
  if (!pdf.page_count) {
    read.errors.push_back(
        ErrorInPart(part.name, std::string(PdfProblemCode(pdf.problem)), pdf.detail));
    return std::nullopt;
  }
  read.uploads.push_back(Upload{kind, SanitizeFileName(part.filename.value_or(""), fallback_name),
                                part.body, *pdf.page_count});
  return std::nullopt;
}

}  // namespace

HttpResponse MalformedJson(const JsonSyntaxError& error, std::string_view where) {
  return Problem(400, "malformed_json",
                 std::string(where) + " is not valid JSON: " + error.message + " at line " +
                     std::to_string(error.line) + ", column " + std::to_string(error.column) + ".",
                 {{"line", error.line}, {"column", error.column}});
}

HttpResponse Invalid(FieldErrors errors) {
  if (errors.size() > kMaxFieldErrors) errors.resize(kMaxFieldErrors);
  return http::ProblemWithErrors(400, "The request has invalid fields; see errors.", errors);
}

HttpResponse NotFound(std::string_view kind, std::string_view id) {
  bool id_shaped = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  std::string subject = std::string(kind) + (id_shaped ? " " + std::string(id) : "");
  return Problem(404, "not_found", subject + " was not found.");
}

std::variant<nlohmann::json, HttpResponse> ParseJsonBody(std::string_view body) {
  JsonParse parsed = ParseJson(body);
  if (!parsed.value) return MalformedJson(*parsed.error, "The body");
  return std::move(*parsed.value);
}

std::variant<ListQuery, HttpResponse> ParseListQuery(std::string_view query,
                                                     const std::vector<std::string_view>& allowed) {
  ListQuery list;
  std::vector<std::string> seen;  // a repeated parameter is ambiguous, never "the last wins"
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string name(pair.substr(0, eq));
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string detail = "Unknown query parameter " + QuoteForMessage(name) + "; ";
      detail += allowed.empty() ? "this endpoint takes no query parameters."
                                : "use " + JoinedNames(allowed) + ".";
      return BadParameter(name, "unknown_parameter", detail);
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return BadParameter(name, "invalid_parameter",
                          "Send the query parameter \"" + name + "\" at most once.");
    }
    seen.push_back(name);
    http::PercentDecodeError undecodable = http::PercentDecodeError::kMalformedEscape;
    std::optional<std::string> value =
        http::PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), &undecodable);
    if (!value && undecodable == http::PercentDecodeError::kMalformedEscape) {
      return BadParameter(name, "invalid_parameter",
                          "The value of \"" + name +
                              "\" has a malformed percent-escape: \"%\" must be followed by two "
                              "hex digits (send \"%\" itself as %25).");
    }
    // %00 and the other control characters are valid encoding, but no
    // parameter's value can hold one.
    if (!value || HasControlCharacters(*value, /*allow_line_breaks=*/false)) {
      return BadParameter(name, "invalid_parameter",
                          "The value of \"" + name +
                              "\" holds a control character (such as %00 or %0A), which no "
                              "query parameter may hold.");
    }

    if (name == "status") {
      list.status = ParseRequestStatus(*value);
      if (!list.status) {
        return BadParameter(name, "invalid_parameter",
                            "status must be one of submitted, in_progress, awaiting_customer, "
                            "submitted_to_carrier, foc_scheduled, completed, rejected, cancelled.");
      }
    } else if (name == "type") {
      list.type = ParseRequestType(*value);
      if (!list.type) {
        return BadParameter(name, "invalid_parameter",
                            "type must be non_toll_free, toll_free or port_in.");
      }
    } else if (name == "limit") {
      std::optional<int> size = ParsePageSize(*value);
      if (!size) {
        return BadParameter(
            name, "invalid_parameter",
            "limit must be a whole number from 1 to " + std::to_string(kMaxPageSize) + ".");
      }
      list.limit = *size;
    } else if (name == "cursor") {
      list.cursor = *value;
    } else if (name == "account") {
      list.account = *value;
    } else if (name == "state") {
      for (OutboxState state : {OutboxState::kPending, OutboxState::kSent, OutboxState::kFailed}) {
        if (*value == ToString(state)) list.state = state;
      }
      if (!list.state) {
        return BadParameter(name, "invalid_parameter", "state must be pending, sent or failed.");
      }
    }
  }
  return list;
}

HttpResponse InvalidCursor() {
  return BadParameter("cursor", "invalid_cursor",
                      "The cursor must be the next_cursor of an earlier page of this list; start "
                      "without it.");
}

std::variant<FormRead, HttpResponse> ReadForm(const HttpRequest& request, const FormSpec& spec) {
  std::string_view content_type = request.headers.Get("Content-Type").value_or("");
  http::MultipartParse multipart = http::ParseFormData(content_type, request.body);
  if (!multipart.parts) {
    if (multipart.error == http::MultipartError::kNotMultipart) {
      return Problem(415, "unsupported_media_type", spec.usage);
    }
    return Problem(400, "malformed_multipart",
                   "The multipart/form-data body could not be read: check the boundary.");
  }

  // Sort the parts by name; anything unexpected is an error, never ignored.
  FormRead read;
  std::vector<std::string_view> known;
  if (spec.data_part) known.push_back("data");
  if (spec.port_in_documents) {
    for (const DocumentPart& document : kDocumentParts)
      known.push_back(document.name);
  }
  std::map<std::string_view, const http::FormPart*> named;
  std::vector<const http::FormPart*> attachments;
  for (const http::FormPart& part : *multipart.parts) {
    bool is_known = std::find(known.begin(), known.end(), part.name) != known.end();
    if (!is_known && spec.attachments && part.filename) {
      attachments.push_back(&part);
    } else if (!is_known) {
      std::string detail = "Unknown part \"" + part.name + "\".";
      if (auto suggestion = ClosestName(part.name, known)) {
        detail += " Did you mean \"" + *suggestion + "\"?";
      } else if (spec.attachments) {
        detail += " Attach files as parts with a file name.";
      }
      read.errors.push_back(ErrorInPart(part.name, "unknown_part", detail));
    } else if (!named.emplace(part.name, &part).second) {
      read.errors.push_back(ErrorInPart(part.name, "duplicate_part", "Send this part once."));
    }
  }
  if (spec.data_part && !named.contains("data")) {
    read.errors.push_back(ErrorInPart("data", "required", "data is required: the JSON fields."));
  }

  if (spec.port_in_documents) {
    for (const DocumentPart& document : kDocumentParts) {
      auto found = named.find(document.name);
      // Where a document is optional, an empty part means "not sent", as ""
      // does for a JSON field: forms (Swagger UI's among them) send every
      // file input, chosen or not.
      if (found != named.end() && !spec.documents_required && found->second->body.empty()) {
        found = named.end();
      }
      if (found == named.end()) {
        if (spec.documents_required) {
          read.errors.push_back(ErrorInPart(std::string(document.name), "required",
                                            std::string(document.name) + " is required: " +
                                                std::string(document.description) + "."));
        }
        continue;
      }
      if (auto refusal = CheckPdf(*found->second, document.kind, document.fallback_name, read)) {
        return std::move(*refusal);
      }
    }
  }
  if (attachments.size() > kMaxAttachments) {
    read.errors.push_back(ErrorInPart(
        attachments[kMaxAttachments]->name, "too_many_attachments",
        "Attach at most " + std::to_string(kMaxAttachments) + " files to one message."));
  } else {
    for (const http::FormPart* part : attachments) {
      if (auto refusal = CheckPdf(*part, DocumentKind::kAttachment, "attachment.pdf", read)) {
        return std::move(*refusal);
      }
    }
  }

  if (auto data = named.find("data"); spec.data_part && data != named.end()) {
    JsonParse parsed = ParseJson(data->second->body);
    if (parsed.value) {
      read.data = std::move(*parsed.value);
    } else {
      const JsonSyntaxError& syntax = *parsed.error;
      read.errors.push_back(ErrorInPart("data", "malformed_json",
                                        "The data part is not valid JSON: " + syntax.message +
                                            " at line " + std::to_string(syntax.line) +
                                            ", column " + std::to_string(syntax.column) + "."));
    }
  }
  return read;
}

StagedDocuments::StagedDocuments(DocumentFiles& files, const std::vector<Upload>& uploads,
                                 std::string_view request_id,
                                 const std::optional<std::string>& event_id)
    : files_(files) {
  try {
    for (const Upload& upload : uploads) {
      StoredDocument stored;
      RequestDocument& document = stored.document;
      document.id = NewId("doc_");
      document.request_id = std::string(request_id);
      document.kind = upload.kind;
      document.file_name = upload.file_name;
      document.content_type = "application/pdf";
      document.size_bytes = static_cast<std::int64_t>(upload.bytes.size());
      document.sha256 = Sha256Hex(upload.bytes);
      document.page_count = upload.page_count;
      document.event_id = event_id;
      stored.storage_path = files_.Write(document.id, upload.bytes);
      documents_.push_back(std::move(stored));
    }
  } catch (...) {
    // The destructor does not run for a constructor that throws.
    for (const StoredDocument& stored : documents_)
      files_.Remove(stored.storage_path);
    throw;
  }
}

StagedDocuments::~StagedDocuments() {
  if (kept_) return;
  for (const StoredDocument& stored : documents_)
    files_.Remove(stored.storage_path);
}

HttpResponse ServeDocument(Store& store, DocumentFiles& files, const HttpRequest& request,
                           std::string_view request_id, std::string_view document_id) {
  std::optional<StoredDocument> stored = store.FindDocument(request_id, document_id);
  if (!stored) return NotFound("Document", document_id);
  // A document never changes once stored, so its hash is a strong validator.
  std::string etag = "\"" + stored->document.sha256 + "\"";
  if (http::MatchesIfNoneMatch(request, etag)) {
    HttpResponse not_modified;
    not_modified.status = 304;
    not_modified.headers.Set("ETag", etag);
    return not_modified;
  }
  std::optional<std::string> bytes = files.Read(stored->storage_path);
  if (!bytes) {
    throw StoreError("document " + std::string(document_id) +
                     " is recorded but its file is missing");
  }

  HttpResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", stored->document.content_type);
  response.headers.Set("Content-Disposition", "attachment; filename=\"" +
                                                  std::string(ToString(stored->document.kind)) +
                                                  ".pdf\"; filename*=UTF-8''" +
                                                  http::PercentEncode(stored->document.file_name));
  response.headers.Set("ETag", etag);
  response.body = std::move(*bytes);
  return response;
}

std::vector<RequestDocument> DocumentsOnly(const std::vector<StoredDocument>& stored) {
  std::vector<RequestDocument> documents;
  for (const StoredDocument& item : stored)
    documents.push_back(item.document);
  return documents;
}

}  // namespace numberdesk::api
