#include "api/workflow_handlers.h"

#include <algorithm>

#include "api/json_body.h"
#include "api/request_json.h"
#include "domain/activation.h"
#include "domain/text.h"
#include "http/problem.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::Problem;
using nlohmann::ordered_json;

// The longest message or note, in bytes.
constexpr std::size_t kMaxMessageBytes = 10000;

// Trimmed returns `text` without surrounding white space; "" when absent.
std::string Trimmed(const std::optional<std::string>& text) {
  return text ? std::string(TrimWhitespace(*text)) : std::string();
}

std::chrono::year_month_day Today() {
  return std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

std::string StatusList(const std::vector<RequestStatus>& statuses) {
  std::string joined;
  for (RequestStatus status : statuses)
    joined += (joined.empty() ? "" : ", ") + std::string(ToString(status));
  return joined.empty() ? "none" : joined;
}

HttpResponse TransitionNotAllowed(const NumberRequest& request, RequestStatus to,
                                  const std::vector<RequestStatus>& allowed) {
  ordered_json moves = ordered_json::array();
  for (RequestStatus status : allowed)
    moves.push_back(ToString(status));
  return Problem(409, "transition_not_allowed",
                 "A " + std::string(ToString(request.type)) + " request cannot move from " +
                     std::string(ToString(request.status)) + " to " + std::string(ToString(to)) +
                     " here; allowed now: " + StatusList(allowed) + ".",
                 {{"current_status", ToString(request.status)}, {"allowed_moves", moves}});
}

HttpResponse StaleVersion(const NumberRequest& request) {
  return Problem(
      409, "concurrent_update",
      "The request changed since that version was read; it is at version " +
          std::to_string(request.version) + " (" + std::string(ToString(request.status)) +
          "). Load it again and decide anew.",
      {{"current_status", ToString(request.status)}, {"current_version", request.version}});
}

HttpResponse RequestClosed(const NumberRequest& request) {
  return Problem(409, "request_closed",
                 "The request is " + std::string(ToString(request.status)) +
                     "; it takes no more replies or documents.",
                 {{"current_status", ToString(request.status)}});
}

// CheckFreeText returns what is wrong with a person's text: over
// kMaxMessageBytes, or control characters other than tab and line breaks.
std::optional<FieldError> CheckFreeText(const std::optional<std::string>& text,
                                        std::string_view pointer) {
  if (!text) return std::nullopt;
  if (text->size() > kMaxMessageBytes) {
    return ErrorAt(std::string(pointer), "too_long",
                   "Up to " + std::to_string(kMaxMessageBytes) + " bytes, please.");
  }
  if (HasControlCharacters(*text, /*allow_line_breaks=*/true)) {
    return ErrorAt(std::string(pointer), "control_characters",
                   "Only tab and line breaks may be used among control characters.");
  }
  return std::nullopt;
}

bool HasErrorAt(const FieldErrors& errors, std::string_view pointer) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.pointer == pointer; });
}

// CheckMessageText adds the problems of a message's text at `pointer` to
// `errors`: it is required, not blank, and free text. A field that failed to
// decode already has its error.
void CheckMessageText(const std::optional<std::string>& text, std::string_view pointer,
                      FieldErrors& errors) {
  if (HasErrorAt(errors, pointer)) return;
  if (!text || TrimWhitespace(*text).empty()) {
    errors.push_back(
        ErrorAt(std::string(pointer), "required", "Write the message: body is required."));
  } else if (auto error = CheckFreeText(text, pointer)) {
    errors.push_back(*error);
  }
}

RequestEvent EventBy(const Caller& caller, const NumberRequest& request, EventKind kind,
                     std::string note, EventVisibility visibility) {
  RequestEvent event;
  event.id = NewId("evt_");
  event.request_id = request.id;
  event.actor_user_id = caller.user.id;
  event.actor_username = caller.user.username;
  event.kind = kind;
  event.old_status = request.status;
  event.new_status = request.status;
  event.note = std::move(note);
  event.visibility = visibility;
  return event;
}

RequestEvent MoveBy(const Caller& caller, const NumberRequest& request, RequestStatus to,
                    std::string note) {
  RequestEvent event = EventBy(caller, request, EventKind::kStatusChange, std::move(note),
                               EventVisibility::kCustomer);
  event.new_status = to;
  return event;
}

// The note a move shows on the timeline, for the customer.
std::string MoveNote(RequestStatus to, const MoveData& data, std::string_view extra) {
  std::string note;
  switch (to) {
    case RequestStatus::kInProgress:
      note = "Support is working on the request.";
      break;
    case RequestStatus::kAwaitingCustomer:
      note = Trimmed(data.message);
      return note;
    case RequestStatus::kSubmittedToCarrier:
      note = "The number has been ordered from the carrier.";
      break;
    case RequestStatus::kFocScheduled:
      note = "The carrier will port the number on " + Trimmed(data.foc_date) + " (the FOC date).";
      break;
    case RequestStatus::kCompleted:
      note = std::string(extra);
      break;
    case RequestStatus::kRejected:
      note = "Rejected: " + Trimmed(data.reason);
      break;
    default:
      break;
  }
  if (data.message && !TrimWhitespace(*data.message).empty()) {
    note += "\n\n" + Trimmed(data.message);
  }
  return note;
}

const std::vector<FieldSpec> kTransitionFields = {
    {"to", FieldShape::kString},
    {"message", FieldShape::kString},
    {"carrier_reference", FieldShape::kString},
    {"foc_date", FieldShape::kString},
    {"number", FieldShape::kString},
    {"reason", FieldShape::kString},
    {"version", FieldShape::kCount},
};

}  // namespace

HttpResponse WorkflowHandlers::Queue(const HttpRequest& request) {
  auto query = ParseListQuery(request.query, {"status", "type", "account", "limit", "cursor"});
  if (auto* refusal = std::get_if<HttpResponse>(&query)) return std::move(*refusal);
  const ListQuery& list = std::get<ListQuery>(query);
  RequestPage page;
  try {
    page = store_.ListQueue(QueueFilter{list.status, list.type, list.account}, list.cursor,
                            list.limit);
  } catch (const std::invalid_argument&) {
    return InvalidCursor();
  }
  return http::JsonResponse(200, RequestPageJson(page, Audience::kStaff));
}

HttpResponse WorkflowHandlers::StaffDetail(const NumberRequest& request, int status) {
  return http::JsonResponse(status,
                            RequestDetailJson(request, store_.DocumentsOf(request.id),
                                              store_.EventsOf(request.id, true), Audience::kStaff));
}

HttpResponse WorkflowHandlers::CustomerDetail(const std::string& request_id,
                                              const std::string& account_id, int status) {
  std::optional<NumberRequest> request = store_.FindRequest(account_id, request_id);
  if (!request) return NotFound("Request", request_id);
  return http::JsonResponse(status, RequestDetailJson(*request, store_.DocumentsOf(request_id),
                                                      store_.EventsOf(request_id, false)));
}

HttpResponse WorkflowHandlers::Detail(const http::PathParams& params) {
  std::optional<NumberRequest> request = store_.FindAnyRequest(params.Get("id"));
  if (!request) return NotFound("Request", params.Get("id"));
  return StaffDetail(*request, 200);
}

HttpResponse WorkflowHandlers::Document(const HttpRequest& request,
                                        const http::PathParams& params) {
  const std::string& id = params.Get("id");
  if (!store_.FindAnyRequest(id)) return NotFound("Request", id);
  return ServeDocument(store_, files_, request, id, params.Get("doc"));
}

std::optional<HttpResponse> WorkflowHandlers::Apply(RequestChange& change,
                                                    const NumberRequest& request,
                                                    const Caller& caller) {
  NumberRequest after = request;
  if (change.number) after.number = change.number;
  if (change.foc_date) after.foc_date = change.foc_date;
  change.notify = notifier_.For(std::move(after), caller.user);
  try {
    store_.ApplyChange(change);
  } catch (const StaleRequestError&) {
    return Problem(409, "concurrent_update",
                   "The request changed while this move was being made; load it again and "
                   "decide anew.");
  } catch (const RequestClosedError&) {
    return Problem(409, "request_closed",
                   "The request closed while this was being sent; it takes no more replies or "
                   "documents.");
  } catch (const NumberActiveError& active) {
    return Problem(409, "number_in_use",
                   "Number " + active.number + " is already active on an account.",
                   {{"number", active.number}});
  } catch (const OpenPortInError& porting) {
    return Problem(409, "number_in_use",
                   "Number " + *change.number + " is being ported in by " + porting.request_id +
                       "; it cannot be given to another request.",
                   {{"number", *change.number}, {"request_id", porting.request_id}});
  }
  return std::nullopt;
}

HttpResponse WorkflowHandlers::Transition(const HttpRequest& http_request,
                                          const http::PathParams& params, const Caller& caller) {
  std::optional<NumberRequest> request = store_.FindAnyRequest(params.Get("id"));
  if (!request) return NotFound("Request", params.Get("id"));
  auto body = ParseJsonBody(http_request.body);
  if (auto* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);

  DecodedFields fields = DecodeFields(std::get<nlohmann::json>(body), kTransitionFields);
  if (!fields.errors.empty()) return Invalid(fields.errors);
  std::optional<std::string> to_text = fields.String("to");
  if (!to_text) {
    return Invalid({ErrorAt("/to", "required", "to (the status to move to) is required.")});
  }
  std::optional<RequestStatus> to = ParseRequestStatus(TrimWhitespace(*to_text));
  if (!to) {
    return Invalid({ErrorAt("/to", "invalid_status",
                            "to must be a status: in_progress, awaiting_customer, "
                            "submitted_to_carrier, foc_scheduled, completed or rejected.")});
  }
  // An agent who sends the version they decided on is refused if anyone
  // moved the request since, not only if someone moves it at the same time.
  if (std::optional<std::int64_t> seen = fields.Count("version");
      seen && *seen != request->version) {
    return StaleVersion(*request);
  }
  std::vector<RequestStatus> allowed =
      AllowedMoves(request->type, request->status, WorkflowRole::kSupportAgent);
  if (std::find(allowed.begin(), allowed.end(), *to) == allowed.end()) {
    return TransitionNotAllowed(*request, *to, allowed);
  }

  MoveData data{fields.String("message"), fields.String("carrier_reference"),
                fields.String("foc_date"), fields.String("number"), fields.String("reason")};
  FieldErrors errors = CheckMoveData(*to, data, Today());
  for (const auto& [text, pointer] : {std::pair{data.message, "/message"},
                                      std::pair{data.carrier_reference, "/carrier_reference"},
                                      std::pair{data.reason, "/reason"}}) {
    if (auto error = CheckFreeText(text, pointer)) errors.push_back(*error);
  }
  ObtainedNumberCheck obtained;
  if (*to == RequestStatus::kCompleted) {
    obtained = CheckObtainedNumber(*request, data.number.value_or(""), regions_);
    errors.insert(errors.end(), obtained.errors.begin(), obtained.errors.end());
  }
  if (!errors.empty()) return Invalid(errors);

  RequestChange change;
  change.request_id = request->id;
  change.expected_version = request->version;
  change.new_status = *to;
  std::string completion;
  std::optional<Assignment> assignment;
  if (*to == RequestStatus::kSubmittedToCarrier) {
    change.carrier_reference = Trimmed(data.carrier_reference);
  } else if (*to == RequestStatus::kFocScheduled) {
    change.foc_date = Trimmed(data.foc_date);
  } else if (*to == RequestStatus::kCompleted) {
    std::optional<User> requested =
        request->assign_to_user_id ? store_.FindUser(*request->assign_to_user_id) : std::nullopt;
    std::optional<Account> account = store_.FindAccount(request->account_id);
    std::optional<User> default_user = account && account->default_user_id
                                           ? store_.FindUser(*account->default_user_id)
                                           : std::nullopt;
    assignment = ChooseAssignee(*request, requested, default_user);
    if (!assignment) {
      return Problem(409, "no_default_user",
                     "The account has no active default user to receive this number's faxes, "
                     "and the request names no active user; set one before completing.");
    }
    change.number = *obtained.number;
    change.activation = FaxNumber{NewId("num_"),
                                  *obtained.number,
                                  request->account_id,
                                  request->id,
                                  assignment->user.id,
                                  assignment->user.username,
                                  ""};
    completion = *obtained.number + " is active. " + assignment->explanation;
    for (const std::string& warning : obtained.warnings)
      completion += "\nNote: " + warning;
  }
  change.events.push_back(MoveBy(caller, *request, *to, MoveNote(*to, data, completion)));
  if (change.carrier_reference) {
    RequestEvent note =
        EventBy(caller, *request, EventKind::kNote,
                "Carrier reference: " + *change.carrier_reference, EventVisibility::kInternal);
    note.new_status = *to;
    change.events.push_back(std::move(note));
  }
  if (auto refusal = Apply(change, *request, caller)) return std::move(*refusal);

  std::optional<NumberRequest> moved = store_.FindAnyRequest(request->id);
  ordered_json answer = RequestDetailJson(*moved, store_.DocumentsOf(request->id),
                                          store_.EventsOf(request->id, true), Audience::kStaff);
  answer["warnings"] = obtained.warnings;
  if (assignment) {
    answer["activation"] = {
        {"number", *obtained.number},
        {"assigned_user", {{"id", assignment->user.id}, {"username", assignment->user.username}}},
        {"reason", ToString(assignment->reason)},
        {"explanation", assignment->explanation},
    };
  }
  return http::JsonResponse(200, answer);
}

HttpResponse WorkflowHandlers::StaffMessage(const HttpRequest& http_request,
                                            const http::PathParams& params, const Caller& caller) {
  std::optional<NumberRequest> request = store_.FindAnyRequest(params.Get("id"));
  if (!request) return NotFound("Request", params.Get("id"));
  auto body = ParseJsonBody(http_request.body);
  if (auto* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);

  DecodedFields fields =
      DecodeFields(std::get<nlohmann::json>(body),
                   {{"body", FieldShape::kString}, {"internal", FieldShape::kBoolean}});
  std::optional<std::string> text = fields.String("body");
  CheckMessageText(text, "/body", fields.errors);
  if (!fields.errors.empty()) return Invalid(fields.errors);

  bool internal = fields.Boolean("internal").value_or(false);
  RequestChange change;
  change.request_id = request->id;
  change.events.push_back(
      EventBy(caller, *request, internal ? EventKind::kNote : EventKind::kMessage, Trimmed(text),
              internal ? EventVisibility::kInternal : EventVisibility::kCustomer));
  if (auto refusal = Apply(change, *request, caller)) return std::move(*refusal);
  nlohmann::ordered_json event = EventJson(change.events.front());
  event["documents"] = nlohmann::ordered_json::array();
  return http::JsonResponse(201, event);
}

HttpResponse WorkflowHandlers::Answer(const NumberRequest& request, const Caller& caller,
                                      EventKind kind, std::string note,
                                      const std::vector<Upload>& uploads) {
  RequestChange change;
  change.request_id = request.id;
  change.require_open = true;  // it may have closed since it was read
  RequestEvent answer = EventBy(caller, request, kind, std::move(note), EventVisibility::kCustomer);
  std::vector<RequestStatus> moves =
      AllowedMoves(request.type, request.status, WorkflowRole::kCustomer);
  if (request.status == RequestStatus::kAwaitingCustomer &&
      std::find(moves.begin(), moves.end(), RequestStatus::kInProgress) != moves.end()) {
    // Support asked; the customer answered: it is support's turn again.
    change.expected_version = request.version;
    change.new_status = RequestStatus::kInProgress;
    change.events.push_back(MoveBy(caller, request, RequestStatus::kInProgress,
                                   "The customer answered; back with support."));
  }
  StagedDocuments staged(files_, uploads, request.id, answer.id);
  change.events.insert(change.events.begin(), std::move(answer));
  change.documents = staged.documents();
  if (auto refusal = Apply(change, request, caller)) return std::move(*refusal);
  staged.Keep();
  return CustomerDetail(request.id, request.account_id, 201);
}

HttpResponse WorkflowHandlers::Reply(const HttpRequest& http_request,
                                     const http::PathParams& params, const Caller& caller) {
  std::optional<NumberRequest> request =
      store_.FindRequest(*caller.user.account_id, params.Get("id"));
  if (!request) return NotFound("Request", params.Get("id"));

  // JSON {"body": ...}, or multipart with that JSON in `data` and PDF files.
  std::optional<nlohmann::json> json;
  std::vector<Upload> uploads;
  FieldErrors errors;
  if (http::MediaTypeOf(http_request.headers.Get("Content-Type").value_or("")) ==
      "multipart/form-data") {
    FormSpec spec;
    spec.data_part = true;
    spec.port_in_documents = request->type == RequestType::kPortIn;
    spec.attachments = true;
    spec.usage = "Send a reply as JSON, or as multipart/form-data with a data part and PDF files.";
    auto form = ReadForm(http_request, spec);
    if (auto* refusal = std::get_if<HttpResponse>(&form)) return std::move(*refusal);
    FormRead& read = std::get<FormRead>(form);
    json = std::move(read.data);
    uploads = std::move(read.uploads);
    errors = std::move(read.errors);
  } else {
    // Its size was held to the JSON limit before it got here.
    auto body = ParseJsonBody(http_request.body);
    if (auto* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
    json = std::move(std::get<nlohmann::json>(body));
  }
  std::optional<std::string> text;
  if (json) {
    DecodedFields fields = DecodeFields(*json, {{"body", FieldShape::kString}});
    errors.insert(errors.end(), fields.errors.begin(), fields.errors.end());
    text = fields.String("body");
    CheckMessageText(text, "/body", errors);
  }
  if (!errors.empty()) return Invalid(errors);
  if (!IsOpen(request->status)) return RequestClosed(*request);
  return Answer(*request, caller, EventKind::kMessage, Trimmed(text), uploads);
}

HttpResponse WorkflowHandlers::ReplaceDocuments(const HttpRequest& http_request,
                                                const http::PathParams& params,
                                                const Caller& caller) {
  std::optional<NumberRequest> request =
      store_.FindRequest(*caller.user.account_id, params.Get("id"));
  if (!request) return NotFound("Request", params.Get("id"));
  if (request->type != RequestType::kPortIn) {
    return Problem(409, "not_a_port_in",
                   "Only a port-in carries an LOA and a bill; this request is " +
                       std::string(ToString(request->type)) + ".");
  }
  FormSpec spec;
  spec.port_in_documents = true;
  spec.usage = "Send the documents as multipart/form-data with parts loaFile and/or billFile.";
  auto form = ReadForm(http_request, spec);
  if (auto* refusal = std::get_if<HttpResponse>(&form)) return std::move(*refusal);
  FormRead& read = std::get<FormRead>(form);
  if (read.errors.empty() && read.uploads.empty()) {
    read.errors.push_back(ErrorInPart("loaFile", "required",
                                      "Send loaFile, billFile or both: the documents to replace."));
  }
  if (!read.errors.empty()) return Invalid(read.errors);
  if (!IsOpen(request->status)) return RequestClosed(*request);

  std::string note;
  for (const Upload& upload : read.uploads) {
    note += note.empty() ? "Replaced " : " and ";
    note += upload.kind == DocumentKind::kLoa ? "the letter of authorisation" : "the phone bill";
  }
  return Answer(*request, caller, EventKind::kDocuments, note + ".", read.uploads);
}

HttpResponse WorkflowHandlers::Cancel(const HttpRequest& http_request,
                                      const http::PathParams& params, const Caller& caller) {
  std::optional<NumberRequest> request =
      store_.FindRequest(*caller.user.account_id, params.Get("id"));
  if (!request) return NotFound("Request", params.Get("id"));

  // The body is optional: {"reason": "..."}.
  std::optional<std::string> reason;
  if (!TrimWhitespace(http_request.body).empty()) {
    auto body = ParseJsonBody(http_request.body);
    if (auto* refusal = std::get_if<HttpResponse>(&body)) return std::move(*refusal);
    DecodedFields fields =
        DecodeFields(std::get<nlohmann::json>(body), {{"reason", FieldShape::kString}});
    reason = fields.String("reason");
    if (auto error = CheckFreeText(reason, "/reason")) fields.errors.push_back(*error);
    if (!fields.errors.empty()) return Invalid(fields.errors);
  }

  std::vector<RequestStatus> allowed =
      AllowedMoves(request->type, request->status, WorkflowRole::kCustomer);
  if (std::find(allowed.begin(), allowed.end(), RequestStatus::kCancelled) == allowed.end()) {
    return TransitionNotAllowed(*request, RequestStatus::kCancelled, allowed);
  }
  std::optional<std::chrono::year_month_day> foc =
      request->foc_date ? ParseIsoDate(*request->foc_date) : std::nullopt;
  if (auto refusal = CancelRefusal(request->type, request->status, foc, Today())) {
    return Problem(
        409, "cancel_too_late", *refusal,
        {{"current_status", ToString(request->status)}, {"foc_date", *request->foc_date}});
  }

  RequestChange change;
  change.request_id = request->id;
  change.expected_version = request->version;
  change.new_status = RequestStatus::kCancelled;
  std::string note = "Cancelled by the customer.";
  if (reason) note += " Reason: " + Trimmed(reason);
  change.events.push_back(MoveBy(caller, *request, RequestStatus::kCancelled, note));
  if (auto refusal = Apply(change, *request, caller)) return std::move(*refusal);
  return CustomerDetail(request->id, request->account_id, 200);
}

HttpResponse WorkflowHandlers::Numbers(const HttpRequest& request, const Caller& caller) {
  auto query = ParseListQuery(request.query, {});
  if (auto* refusal = std::get_if<HttpResponse>(&query)) return std::move(*refusal);
  ordered_json numbers = ordered_json::array();
  for (const FaxNumber& number : store_.ActiveNumbers(*caller.user.account_id)) {
    numbers.push_back({
        {"number", number.number},
        {"assigned_user",
         {{"id", number.assigned_user_id}, {"username", number.assigned_username}}},
        {"request_id", number.request_id},
        {"activated_at", number.activated_at},
    });
  }
  return http::JsonResponse(200, {{"numbers", numbers}});
}

HttpResponse WorkflowHandlers::Users(const HttpRequest& request, const Caller& caller) {
  auto query = ParseListQuery(request.query, {});
  if (auto* refusal = std::get_if<HttpResponse>(&query)) return std::move(*refusal);
  std::optional<Account> account = store_.FindAccount(*caller.user.account_id);
  ordered_json users = ordered_json::array();
  for (const User& user : store_.UsersOf(*caller.user.account_id)) {
    users.push_back({
        {"id", user.id},
        {"username", user.username},
        {"email", user.email},
        {"role", ToString(user.role)},
        {"active", user.active},
        {"default_user", account && account->default_user_id == user.id},
    });
  }
  return http::JsonResponse(200, {{"users", users}});
}

}  // namespace numberdesk::api
