#ifndef NUMBERDESK_API_HANDLER_PARTS_H_
#define NUMBERDESK_API_HANDLER_PARTS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/json_body.h"
#include "documents/document_files.h"
#include "domain/number_request.h"
#include "http/message.h"
#include "storage/store.h"

// The pieces the request handlers share: error responses, list query
// parameters, multipart forms with PDF files, and documents staged on disk.
namespace numberdesk::api {

// A 400 for a body that is not JSON, naming `where` ("The body").
http::HttpResponse MalformedJson(const JsonSyntaxError& error, std::string_view where);

// A 400 listing the refused fields (at most kMaxFieldErrors of them).
http::HttpResponse Invalid(FieldErrors errors);

// A 404 for the `kind` ("Request") called `id`, in the caller's view. The id
// is repeated only if it has the shape of numberdesk's ids, so that the
// answer never echoes arbitrary client text.
http::HttpResponse NotFound(std::string_view kind, std::string_view id);

// The largest JSON body an endpoint reads.
inline constexpr std::size_t kMaxJsonBodyBytes = 1024 * 1024;

// ParseJsonBody parses a JSON body, or returns the 400 to send.
std::variant<nlohmann::json, http::HttpResponse> ParseJsonBody(std::string_view body);

// The query of a list endpoint. `account` is for staff only.
struct ListQuery {
  std::optional<RequestStatus> status;
  std::optional<RequestType> type;
  std::optional<std::string> account;
  std::optional<std::string> cursor;
  std::optional<OutboxState> state;  // the outbox's list only
  int limit = 20;
};

inline constexpr int kMaxPageSize = 100;

// ParseListQuery reads `query` (the part after "?") allowing the parameters
// in `allowed` (of status, type, account, limit, cursor, state), each at most
// once; anything else is a 400 naming the parameter, as is a value with a
// malformed percent-escape or a control character (%00 included).
std::variant<ListQuery, http::HttpResponse> ParseListQuery(
    std::string_view query, const std::vector<std::string_view>& allowed);

// A 400 for a cursor the list did not hand out.
http::HttpResponse InvalidCursor();

// A checked PDF from a request body, not yet stored.
struct Upload {
  DocumentKind kind;
  std::string file_name;
  std::string bytes;
  int page_count;
};

// The most files one message may carry.
inline constexpr std::size_t kMaxAttachments = 10;

// What a multipart/form-data endpoint accepts. Files are always PDFs of at
// most kMaxDocumentBytes; loaFile and billFile are the port-in documents.
struct FormSpec {
  bool data_part = false;           // a `data` part with JSON is required
  bool port_in_documents = false;   // loaFile and billFile may be sent
  bool documents_required = false;  // ... and both must be
  bool attachments = false;         // other file parts are message attachments
  std::string_view usage;           // "Send a port-in as ..." for a 415
};

struct FormRead {
  std::optional<nlohmann::json> data;  // when `data` was sent and is JSON
  std::vector<Upload> uploads;         // in the order sent
  FieldErrors errors;                  // every problem with parts and files
};

// ReadForm reads a multipart/form-data body by `spec`. Unknown parts, parts
// sent twice, missing required parts, files that are not PDFs and a `data`
// part that is not JSON are all collected in `errors`. An empty loaFile or
// billFile counts as not sent unless `documents_required`. A file over the size
// limit, a body that is not multipart or cannot be parsed is the response to
// send.
std::variant<FormRead, http::HttpResponse> ReadForm(const http::HttpRequest& request,
                                                    const FormSpec& spec);

// StagedDocuments writes uploads to the document folder ahead of the commit
// that records them, and removes the files again unless Keep() is called, so
// that a failed commit leaves no stray files.
class StagedDocuments {
 public:
  StagedDocuments(DocumentFiles& files, const std::vector<Upload>& uploads,
                  std::string_view request_id, const std::optional<std::string>& event_id);
  ~StagedDocuments();
  StagedDocuments(const StagedDocuments&) = delete;
  StagedDocuments& operator=(const StagedDocuments&) = delete;

  std::vector<StoredDocument>& documents() { return documents_; }
  void Keep() { kept_ = true; }

 private:
  DocumentFiles& files_;
  std::vector<StoredDocument> documents_;
  bool kept_ = false;
};

// ServeDocument answers a download of document `document_id` of request
// `request_id`, which the caller has been found allowed to see: the PDF, or
// 304 when If-None-Match holds its ETag, or 404.
http::HttpResponse ServeDocument(Store& store, DocumentFiles& files,
                                 const http::HttpRequest& request, std::string_view request_id,
                                 std::string_view document_id);

// DocumentsOnly returns the metadata of staged or stored documents.
std::vector<RequestDocument> DocumentsOnly(const std::vector<StoredDocument>& stored);

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_HANDLER_PARTS_H_
