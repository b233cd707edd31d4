#pragma once

#include "passwordhasher.h"
#include "serversettings.h"

#include <domain/clock.h>
#include <domain/result.h>
#include <store/database.h>

namespace sb::server {

// At first start, creates the admin named by SWITCHBOARD_ADMIN_EMAIL/_PASSWORD, unless an
// admin already exists. Answers whether one was created.
Result<bool> ensureBootstrapAdmin(store::Database &db, const ServerSettings &settings,
                                  const Clock &clock, const PasswordHasher &hasher);

} // namespace sb::server
