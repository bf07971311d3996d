#ifndef NUMBERDESK_STORAGE_SQLITE_STORE_TEST_BUILDERS_H_
#define NUMBERDESK_STORAGE_SQLITE_STORE_TEST_BUILDERS_H_

// Builders of valid records for the store's tests.

#include <string>

#include "domain/account.h"
#include "domain/number_request.h"
#include "domain/timestamps.h"
#include "security/random_ids.h"

namespace numberdesk::store_testing {

// An administrator of `account` allowed to manage fax numbers, not yet stored.
inline User AdminOf(const Account& account, std::string username) {
  User user;
  user.account_id = account.id;
  user.username = std::move(username);
  user.email = user.username + "@example.com";
  user.role = UserRole::kAccountAdmin;
  user.can_manage_fax_numbers = true;
  return user;
}

// A valid request of `type` by `requester`, not yet stored. Port-ins are for
// +19782631234.
inline NumberRequest RequestBy(const User& requester, RequestType type = RequestType::kTollFree) {
  NumberRequest request;
  request.id = NewId("req_");
  request.account_id = *requester.account_id;
  request.requester_user_id = requester.id;
  request.type = type;
  request.country_code = "US";
  request.notify_email = {"ops@example.com"};
  if (type == RequestType::kNonTollFree) request.region = "MA";
  if (type == RequestType::kPortIn) {
    request.number_to_port = "+19782631234";
    request.toll_free = false;
  }
  request.created_at = FormatRfc3339(std::chrono::system_clock::now());
  request.updated_at = request.created_at;
  return request;
}

}  // namespace numberdesk::store_testing

#endif  // NUMBERDESK_STORAGE_SQLITE_STORE_TEST_BUILDERS_H_
