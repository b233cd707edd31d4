#include "bootstrapadmin.h"

#include "serverlog.h"

#include <store/userrepository.h>

namespace sb::server {

Result<bool> ensureBootstrapAdmin(store::Database &db, const ServerSettings &settings,
                                  const Clock &clock, const PasswordHasher &hasher)
{
    return db.transaction([&](QSqlDatabase &connection) -> Result<bool> {
        store::UserRepository users(connection);
        store::UserFilter admins;
        admins.role = Role::Admin;
        admins.limit = 1;
        const auto existing = users.list(admins);
        if (!existing)
            return existing.error();
        if (existing->total > 0)
            return false;
        if (settings.adminEmail.isEmpty() || settings.adminPassword.isEmpty()) {
            qCWarning(lcServer) << "no admin account exists; set SWITCHBOARD_ADMIN_EMAIL and "
                                   "SWITCHBOARD_ADMIN_PASSWORD to create one";
            return false;
        }
        if (settings.adminPassword.size() < 8) {
            return Error::make(QStringLiteral("invalid_setting"),
                               QStringLiteral("SWITCHBOARD_ADMIN_PASSWORD must have at least 8 "
                                              "characters."));
        }
        User admin;
        admin.name = settings.adminName;
        admin.email = settings.adminEmail;
        admin.role = Role::Admin;
        admin.availability = Availability::Offline;
        admin.createdAt = clock.now();
        const auto created = users.insert(admin, hasher.hash(settings.adminPassword));
        if (!created)
            return created.error();
        qCInfo(lcServer).noquote() << "created the first admin account" << created->email;
        return true;
    });
}

} // namespace sb::server
