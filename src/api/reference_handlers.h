#ifndef NUMBERDESK_API_REFERENCE_HANDLERS_H_
#define NUMBERDESK_API_REFERENCE_HANDLERS_H_

#include <string>
#include <unordered_map>
#include <variant>

#include "domain/region_catalog.h"
#include "http/message.h"
#include "http/router.h"

namespace numberdesk::api {

// ReferenceHandlers serves the numbering reference lists: regions of a
// country, cities of a region, area codes of a region or a city, and the
// toll-free prefixes. The lists are public data and need no token. Each
// answer carries the data version, a strong ETag and Cache-Control, and a
// request whose If-None-Match names the current ETag gets 304. An unknown
// country, region or city is a 404 that suggests the nearest names.
//
// The region-level answers are serialised once, at construction; the catalog
// must outlive this object and not change.
class ReferenceHandlers {
 public:
  explicit ReferenceHandlers(const RegionCatalog& catalog);

  // GET /api/numbers/regions/{country_code}
  http::HttpResponse Regions(const http::HttpRequest& request,
                             const http::PathParams& params) const;
  // GET /api/numbers/cities/{country_code}/{region_code}
  http::HttpResponse Cities(const http::HttpRequest& request, const http::PathParams& params) const;
  // GET /api/numbers/area_codes/{country_code}/{region_code}[/{city}]
  http::HttpResponse AreaCodes(const http::HttpRequest& request,
                               const http::PathParams& params) const;
  // GET /api/numbers/toll_free_prefixes
  http::HttpResponse TollFreePrefixes(const http::HttpRequest& request) const;

 private:
  // A serialised answer and its validator.
  struct Representation {
    std::string body;
    std::string etag;  // quoted, strong
  };

  static Representation Represent(std::string body);
  static http::HttpResponse Answer(const http::HttpRequest& request,
                                   const Representation& representation);

  // Looks up the country and region of `params`, or returns the 404 to send.
  std::variant<const Region*, http::HttpResponse> FindRegion(const http::PathParams& params) const;

  const RegionCatalog& catalog_;
  std::unordered_map<std::string, Representation> cached_;  // by request path
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_REFERENCE_HANDLERS_H_
