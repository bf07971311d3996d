#include "api/number_request_handlers.h"

#include <charconv>
#include <chrono>
#include <map>

#include "api/json_body.h"
#include "api/request_json.h"
#include "documents/pdf_inspector.h"
#include "domain/document_rules.h"
#include "domain/text.h"
#include "domain/timestamps.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::Problem;

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;

HttpResponse MalformedJson(const JsonSyntaxError& error, std::string_view where) {
  return Problem(400, "malformed_json",
                 std::string(where) + " is not valid JSON: " + error.message + " at line " +
                     std::to_string(error.line) + ", column " + std::to_string(error.column) + ".",
                 {{"line", error.line}, {"column", error.column}});
}

// Invalid answers 400 with at most kMaxFieldErrors entries, however many
// problems a body has: the answer stays small.
HttpResponse Invalid(FieldErrors errors) {
  if (errors.size() > kMaxFieldErrors) errors.resize(kMaxFieldErrors);
  return http::ProblemWithErrors(400, "The request has invalid fields; see errors.", errors);
}

HttpResponse NotFound(std::string_view what) {
  return Problem(404, "not_found", std::string(what) + " was not found in this account.");
}

// The multipart parts of a port-in and what each one is for.
struct PartSpec {
  std::string_view name;
  std::optional<DocumentKind> kind;  // empty for the JSON part
  std::string_view description;
};

constexpr PartSpec kPortInParts[] = {
    {"data", std::nullopt, "the request as JSON"},
    {"loaFile", DocumentKind::kLoa, "the signed letter of authorisation, a PDF"},
    {"billFile", DocumentKind::kBill, "a recent phone bill, a PDF"},
};

std::optional<int> ParsePageSize(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxPageSize) {
    return std::nullopt;
  }
  return value;
}

HttpResponse BadParameter(std::string_view name, std::string_view code, std::string detail) {
  return Problem(400, code, detail, {{"parameter", name}});
}

}  // namespace

ValidationContext NumberRequestHandlers::ContextFor(const Caller& caller) {
  ValidationContext context;
  context.regions = &regions_;
  context.find_active_user = [this, account = caller.user.account_id](
                                 std::string_view username) -> std::optional<UserRef> {
    std::optional<User> user = store_.FindUserByUsername(username);
    if (!user || !user->active || user->account_id != account) return std::nullopt;
    return UserRef{user->id, user->username};
  };
  return context;
}

HttpResponse NumberRequestHandlers::CreateNewNumber(RequestType type, const HttpRequest& request,
                                                    const Caller& caller) {
  // The route enforces the media type and kMaxJsonBodyBytes (Service).
  JsonParse parsed = ParseJson(request.body);
  if (!parsed.value) return MalformedJson(*parsed.error, "The body");

  DecodedDraft decoded = DecodeDraft(type, *parsed.value);
  RequestValidation validation =
      ValidateRequest(type, decoded.draft, ContextFor(caller), decoded.errors);
  if (!validation.request) return Invalid(validation.errors);
  return Save(std::move(*validation.request), caller, {});
}

HttpResponse NumberRequestHandlers::CreatePortIn(const HttpRequest& request, const Caller& caller) {
  std::string_view content_type = request.headers.Get("Content-Type").value_or("");
  http::MultipartParse multipart = http::ParseFormData(content_type, request.body);
  if (!multipart.parts) {
    if (multipart.error == http::MultipartError::kNotMultipart) {
      return Problem(415, "unsupported_media_type",
                     "Send a port-in as multipart/form-data with parts data, loaFile and "
                     "billFile.");
    }
    return Problem(400, "malformed_multipart",
                   "The multipart/form-data body could not be read: check the boundary.");
  }

  // Sort the parts by name; anything unexpected is an error, never ignored.
  FieldErrors errors;
  std::map<std::string_view, const http::FormPart*> parts;
  std::vector<std::string_view> known;
  for (const PartSpec& spec : kPortInParts)
    known.push_back(spec.name);
  for (const http::FormPart& part : *multipart.parts) {
    bool is_known = std::find(known.begin(), known.end(), part.name) != known.end();
    if (!is_known) {
      std::string detail = "Unknown part \"" + part.name + "\".";
      if (auto suggestion = ClosestName(part.name, known)) {
        detail += " Did you mean \"" + *suggestion + "\"?";
      }
      errors.push_back(ErrorInPart(part.name, "unknown_part", detail));
    } else if (!parts.emplace(part.name, &part).second) {
      errors.push_back(ErrorInPart(part.name, "duplicate_part", "Send this part once."));
    }
  }

  // Files: present, within the limit, and really PDFs.
  std::vector<Upload> uploads;
  for (const PartSpec& spec : kPortInParts) {
    auto found = parts.find(spec.name);
    if (found == parts.end()) {
      errors.push_back(ErrorInPart(
          std::string(spec.name), "required",
          std::string(spec.name) + " is required: " + std::string(spec.description) + "."));
      continue;
    }
    if (!spec.kind) continue;
    const http::FormPart& part = *found->second;
    if (part.body.size() > kMaxDocumentBytes) {
      return Problem(413, "file_too_large",
                     std::string(spec.name) + " is larger than the limit of " +
                         std::to_string(kMaxDocumentBytes) + " bytes per file.",
                     {{"part", spec.name}, {"limit_bytes", kMaxDocumentBytes}});
    }
    PdfInspection pdf = InspectPdf(part.body);
    if (!pdf.page_count) {
      errors.push_back(ErrorInPart(std::string(spec.name), std::string(PdfProblemCode(pdf.problem)),
                                   pdf.detail));
      continue;
    }
    std::string fallback = *spec.kind == DocumentKind::kLoa ? "loa.pdf" : "bill.pdf";
    uploads.push_back(Upload{*spec.kind, SanitizeFileName(part.filename.value_or(""), fallback),
                             part.body, *pdf.page_count});
  }

  // The JSON part: decoded and validated like the other requests.
  RequestDraft draft;
  FieldErrors field_errors;
  if (auto data = parts.find("data"); data != parts.end()) {
    JsonParse parsed = ParseJson(data->second->body);
    if (!parsed.value) {
      const JsonSyntaxError& syntax = *parsed.error;
      errors.push_back(ErrorInPart("data", "malformed_json",
                                   "The data part is not valid JSON: " + syntax.message +
                                       " at line " + std::to_string(syntax.line) + ", column " +
                                       std::to_string(syntax.column) + "."));
    } else {
      DecodedDraft decoded = DecodeDraft(RequestType::kPortIn, *parsed.value);
      draft = std::move(decoded.draft);
      field_errors = std::move(decoded.errors);
    }
  }
  bool data_readable =
      parts.contains("data") && !std::any_of(errors.begin(), errors.end(),
                                             [](const FieldError& e) { return e.part == "data"; });
  if (data_readable) {
    RequestValidation validation =
        ValidateRequest(RequestType::kPortIn, draft, ContextFor(caller), field_errors);
    errors.insert(errors.end(), validation.errors.begin(), validation.errors.end());
    if (errors.empty()) return Save(std::move(*validation.request), caller, uploads);
  }
  return Invalid(errors);
}

HttpResponse NumberRequestHandlers::Save(NumberRequest request, const Caller& caller,
                                         const std::vector<Upload>& uploads) {
  // CreateRequest stamps the times under the database's write lock, so that
  // "newest first" holds for created_at too; the response shows its stamps.
  request.id = NewId("req_");
  request.account_id = *caller.user.account_id;
  request.requester_user_id = caller.user.id;

  RequestEvent submitted;
  submitted.id = NewId("evt_");
  submitted.request_id = request.id;
  submitted.actor_user_id = caller.user.id;
  submitted.actor_username = caller.user.username;
  submitted.new_status = RequestStatus::kSubmitted;
  submitted.note = "Request submitted.";
  submitted.visibility = EventVisibility::kCustomer;

  // Files first, synced; then the metadata that names them in one commit.
  std::vector<StoredDocument> stored;
  try {
    for (const Upload& upload : uploads) {
      StoredDocument document;
      document.document.id = NewId("doc_");
      document.document.request_id = request.id;
      document.document.kind = upload.kind;
      document.document.file_name = upload.file_name;
      document.document.content_type = "application/pdf";
      document.document.size_bytes = static_cast<std::int64_t>(upload.bytes.size());
      document.document.sha256 = Sha256Hex(upload.bytes);
      document.document.page_count = upload.page_count;
      document.storage_path = files_.Write(document.document.id, upload.bytes);
      stored.push_back(std::move(document));
    }
    store_.CreateRequest(request, stored, submitted);
  } catch (...) {
    for (const StoredDocument& document : stored)
      files_.Remove(document.storage_path);
    throw;
  }

  std::vector<RequestDocument> documents;
  for (const StoredDocument& document : stored)
    documents.push_back(document.document);
  HttpResponse response =
      http::JsonResponse(201, RequestDetailJson(request, documents, {submitted}));
  response.headers.Set("Location", RequestPath(request.id));
  return response;
}

HttpResponse NumberRequestHandlers::List(const HttpRequest& request, const Caller& caller) {
  RequestFilter filter;
  std::optional<std::string> cursor;
  int limit = kDefaultPageSize;

  std::vector<std::string> seen;  // a repeated parameter is ambiguous, never "the last wins"
  std::string_view query = request.query;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string name(pair.substr(0, eq));
    bool known = name == "status" || name == "type" || name == "limit" || name == "cursor";
    if (known && std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return BadParameter(name, "invalid_parameter",
                          "Send the query parameter \"" + name + "\" at most once.");
    }
    seen.push_back(name);
    std::optional<std::string> value =
        http::PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!value) return BadParameter(name, "invalid_parameter", "Malformed percent-encoding.");

    if (name == "status") {
      filter.status = ParseRequestStatus(*value);
      if (!filter.status) {
        return BadParameter(name, "invalid_parameter",
                            "status must be one of submitted, in_progress, awaiting_customer, "
                            "submitted_to_carrier, foc_scheduled, completed, rejected, cancelled.");
      }
    } else if (name == "type") {
      filter.type = ParseRequestType(*value);
      if (!filter.type) {
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
      limit = *size;
    } else if (name == "cursor") {
      cursor = *value;
    } else {
      return BadParameter(
          name, "unknown_parameter",
          "Unknown query parameter \"" + name + "\"; use status, type, limit or cursor.");
    }
  }

  RequestPage page;
  try {
    page = store_.ListRequests(*caller.user.account_id, filter, cursor, limit);
  } catch (const std::invalid_argument&) {
    return BadParameter("cursor", "invalid_cursor",
                        "The cursor must be the next_cursor of a page of this account's "
                        "requests; start without it.");
  }
  nlohmann::ordered_json body = {{"requests", nlohmann::ordered_json::array()},
                                 {"next_cursor", nullptr}};
  for (const NumberRequest& item : page.requests)
    body["requests"].push_back(RequestJson(item));
  if (page.next_cursor) body["next_cursor"] = *page.next_cursor;
  return http::JsonResponse(200, body);
}

HttpResponse NumberRequestHandlers::Get(const http::PathParams& params, const Caller& caller) {
  const std::string& id = params.Get("id");
  std::optional<NumberRequest> request = store_.FindRequest(*caller.user.account_id, id);
  if (!request) return NotFound("Request " + id);
  return http::JsonResponse(
      200, RequestDetailJson(*request, store_.DocumentsOf(id), store_.EventsOf(id, false)));
}

HttpResponse NumberRequestHandlers::GetDocument(const HttpRequest& http_request,
                                                const http::PathParams& params,
                                                const Caller& caller) {
  const std::string& id = params.Get("id");
  const std::string& document_id = params.Get("doc");
  if (!store_.FindRequest(*caller.user.account_id, id)) return NotFound("Request " + id);
  std::optional<StoredDocument> stored = store_.FindDocument(id, document_id);
  if (!stored) return NotFound("Document " + document_id);
  // A document never changes once stored, so its hash is a strong validator.
  std::string etag = "\"" + stored->document.sha256 + "\"";
  if (http::MatchesIfNoneMatch(http_request, etag)) {
    HttpResponse not_modified;
    not_modified.status = 304;
    not_modified.headers.Set("ETag", etag);
    return not_modified;
  }
  std::optional<std::string> bytes = files_.Read(stored->storage_path);
  if (!bytes) {
    throw StoreError("document " + document_id + " is recorded but its file is missing");
  }

  HttpResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", stored->document.content_type);
  response.headers.Set(
      "Content-Disposition",
      "attachment; filename=\"" +
          std::string(stored->document.kind == DocumentKind::kLoa ? "loa" : "bill") +
          ".pdf\"; filename*=UTF-8''" + http::PercentEncode(stored->document.file_name));
  response.headers.Set("ETag", etag);
  response.body = std::move(*bytes);
  return response;
}

}  // namespace numberdesk::api
