#include "api/number_request_handlers.h"

#include "api/handler_parts.h"
#include "api/json_body.h"
#include "api/request_json.h"
#include "http/problem.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::Problem;

// A 409 for a port-in of a number that already has an open one. The request
// is named only to its own account.
HttpResponse DuplicatePortIn(const OpenPortInError& open, const Caller& caller) {
  if (open.account_id == caller.user.account_id) {
    return Problem(409, "duplicate_port_in",
                   "This number already has an open port-in, " + open.request_id +
                       "; follow that request or cancel it first.",
                   {{"request_id", open.request_id}, {"href", RequestPath(open.request_id)}});
  }
  return Problem(409, "duplicate_port_in",
                 "This number already has an open port-in on another account; contact support.");
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
  auto body = ParseJsonBody(request.body);
  if (auto* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);

  DecodedDraft decoded = DecodeDraft(type, std::get<nlohmann::json>(body));
  RequestValidation validation =
      ValidateRequest(type, decoded.draft, ContextFor(caller), decoded.errors);
  if (!validation.request) return Invalid(validation.errors);
  return Save(std::move(*validation.request), caller, {});
}

HttpResponse NumberRequestHandlers::CreatePortIn(const HttpRequest& request, const Caller& caller) {
  FormSpec spec;
  spec.data_part = true;
  spec.port_in_documents = true;
  spec.documents_required = true;
  spec.usage = "Send a port-in as multipart/form-data with parts data, loaFile and billFile.";
  auto form = ReadForm(request, spec);
  if (auto* refusal = std::get_if<HttpResponse>(&form)) return std::move(*refusal);
  FormRead& read = std::get<FormRead>(form);

  // The JSON part is decoded and validated like the other requests, once it
  // could be read.
  FieldErrors errors = std::move(read.errors);
  if (read.data) {
    DecodedDraft decoded = DecodeDraft(RequestType::kPortIn, *read.data);
    RequestValidation validation =
        ValidateRequest(RequestType::kPortIn, decoded.draft, ContextFor(caller), decoded.errors);
    errors.insert(errors.end(), validation.errors.begin(), validation.errors.end());
    if (errors.empty()) return Save(std::move(*validation.request), caller, read.uploads);
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
  StagedDocuments staged(files_, uploads, request.id, std::nullopt);
  try {
    store_.CreateRequest(request, staged.documents(), submitted,
                         notifier_.For(request, caller.user));
  } catch (const OpenPortInError& open) {
    return DuplicatePortIn(open, caller);
  } catch (const NumberActiveError& active) {
    return Problem(409, "number_in_use",
                   "Number " + active.number + " is already active " +
                       (active.account_id == caller.user.account_id
                            ? "on this account; it needs no port-in."
                            : "with us on another account; contact support."),
                   {{"number", active.number}});
  }
  staged.Keep();

  HttpResponse response = http::JsonResponse(
      201, RequestDetailJson(request, DocumentsOnly(staged.documents()), {submitted}));
  response.headers.Set("Location", RequestPath(request.id));
  return response;
}

HttpResponse NumberRequestHandlers::List(const HttpRequest& request, const Caller& caller) {
  auto query = ParseListQuery(request.query, {"status", "type", "limit", "cursor"});
  if (auto* refusal = std::get_if<HttpResponse>(&query)) return std::move(*refusal);
  const ListQuery& list = std::get<ListQuery>(query);

  RequestPage page;
  try {
    page = store_.ListRequests(*caller.user.account_id, RequestFilter{list.status, list.type},
                               list.cursor, list.limit);
  } catch (const std::invalid_argument&) {
    return InvalidCursor();
  }
  return http::JsonResponse(200, RequestPageJson(page, Audience::kCustomer));
}

HttpResponse NumberRequestHandlers::Get(const http::PathParams& params, const Caller& caller) {
  const std::string& id = params.Get("id");
  std::optional<NumberRequest> request = store_.FindRequest(*caller.user.account_id, id);
  if (!request) return NotFound("Request", id);
  return http::JsonResponse(
      200, RequestDetailJson(*request, store_.DocumentsOf(id), store_.EventsOf(id, false)));
}

HttpResponse NumberRequestHandlers::GetDocument(const HttpRequest& http_request,
                                                const http::PathParams& params,
                                                const Caller& caller) {
  const std::string& id = params.Get("id");
  if (!store_.FindRequest(*caller.user.account_id, id)) return NotFound("Request", id);
  return ServeDocument(store_, files_, http_request, id, params.Get("doc"));
}

}  // namespace numberdesk::api
