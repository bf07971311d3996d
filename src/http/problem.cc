#include "http/problem.h"

#include <nlohmann/json.hpp>

namespace numberdesk::http {
namespace {

nlohmann::ordered_json ProblemBody(int status, std::string_view code, std::string_view detail) {
  return {
      {"type", "urn:numberdesk:problem:" + std::string(code)},
      {"title", ReasonPhrase(status)},
      {"status", status},
      {"code", code},
      {"detail", detail},
  };
}

HttpResponse Serialise(int status, const nlohmann::ordered_json& body,
                       std::string_view content_type) {
  HttpResponse response;
  response.status = status;
  response.headers.Set("Content-Type", std::string(content_type));
  // Invalid UTF-8 from a client is replaced rather than thrown on.
  response.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return response;
}

}  // namespace

HttpResponse Problem(int status, std::string_view code, std::string_view detail) {
  return Serialise(status, ProblemBody(status, code, detail), "application/problem+json");
}

HttpResponse Problem(int status, std::string_view code, std::string_view detail,
                     const nlohmann::ordered_json& extensions) {
  nlohmann::ordered_json body = ProblemBody(status, code, detail);
  for (const auto& [key, value] : extensions.items())
    body[key] = value;
  return Serialise(status, body, "application/problem+json");
}

HttpResponse ProblemWithErrors(int status, std::string_view detail, const FieldErrors& errors) {
  std::string code = errors.empty() ? "validation_failed" : errors.front().code;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const FieldError& error : errors) {
    if (error.code != code) code = "validation_failed";
    nlohmann::ordered_json entry;
    if (!error.part.empty()) {
      entry["part"] = error.part;
    } else {
      entry["pointer"] = error.pointer;
    }
    entry["code"] = error.code;
    entry["detail"] = error.detail;
    entries.push_back(std::move(entry));
  }
  nlohmann::ordered_json body = ProblemBody(status, code, detail);
  body["errors"] = std::move(entries);
  return Serialise(status, body, "application/problem+json");
}

HttpResponse JsonResponse(int status, const nlohmann::ordered_json& body) {
  return Serialise(status, body, "application/json");
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace numberdesk::http
