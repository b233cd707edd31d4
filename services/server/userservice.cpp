#include "userservice.h"

#include "apierrors.h"
#include "authservice.h"
#include "servercontext.h"
#include "websockethub.h"

#include <domain/jsoncodec.h>

namespace sb::server {

Status UserService::recordChange(QSqlDatabase &db, const User &user, ChangeOp op)
{
    Change change;
    change.entity = QStringLiteral("user");
    change.entityId = user.id;
    change.op = op;
    change.data = toJson(user);
    change.createdAt = m_context.clock.now();
    const auto seq = m_context.changes.record(db, change);
    return seq ? Status() : Status(seq.error());
}

Result<User> UserService::create(const User &user, const QString &password)
{
    if (Status s = AuthService::checkEmail(user.email); !s)
        return s.error();
    if (Status s = AuthService::checkPassword(password, "password"); !s)
        return s.error();
    User u = user;
    u.createdAt = m_context.clock.now();
    const QString hash = m_context.hasher.hash(password);
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<User> {
        auto created = store::UserRepository(db).insert(u, hash);
        if (!created)
            return created;
        if (Status s = recordChange(db, *created, ChangeOp::Created); !s)
            return s.error();
        return created;
    });
}

Result<User> UserService::update(const QString &id, const UserChanges &changes,
                                 std::optional<int> expectedVersion, const Caller &by)
{
    if (changes.email) {
        if (Status s = AuthService::checkEmail(*changes.email); !s)
            return s.error();
    }
    if (id == by.id()
        && ((changes.active && !*changes.active)
            || (changes.role && *changes.role != Role::Admin))) {
        return errors::conflict(QStringLiteral("conflict"),
                                QStringLiteral("You cannot deactivate yourself or give up your own "
                                               "admin role."));
    }
    bool deactivated = false;
    auto updated = m_context.db.transaction([&](QSqlDatabase &db) -> Result<User> {
        store::UserRepository users(db);
        const auto current = users.findById(id);
        if (!current)
            return current.error();
        if (!*current)
            return errors::notFound(QStringLiteral("user"));
        User u = **current;
        const int version = expectedVersion.value_or(u.version);
        if (changes.email && changes.email->trimmed().toCaseFolded() != u.email.toCaseFolded()) {
            const auto taken = users.findByEmail(*changes.email);
            if (!taken)
                return taken.error();
            if (*taken) {
                return Error::make(
                    QStringLiteral("email_taken"),
                    QStringLiteral("An account with this e-mail address already exists."),
                    {{QStringLiteral("field"), QStringLiteral("email")}});
            }
        }
        deactivated = u.active && changes.active && !*changes.active;
        u.name = changes.name.value_or(u.name);
        u.email = changes.email.value_or(u.email);
        u.role = changes.role.value_or(u.role);
        u.active = changes.active.value_or(u.active);
        u.phone = changes.phone.value_or(u.phone);
        if (u.isAgent() && !u.availability)
            u.availability = Availability::Offline;
        auto saved = users.update(u, version);
        if (!saved)
            return saved;
        if (Status s = recordChange(db, *saved, ChangeOp::Updated); !s)
            return s.error();
        return saved;
    });
    if (updated && deactivated)
        (void)AuthService(m_context).revokeAll(id);
    return updated;
}

Result<store::UserPage> UserService::list(const store::UserFilter &filter) const
{
    return store::UserRepository(m_context.db.connection()).list(filter);
}

Result<User> UserService::find(const QString &id) const
{
    const auto found = store::UserRepository(m_context.db.connection()).findById(id);
    if (!found)
        return found.error();
    if (!*found)
        return errors::notFound(QStringLiteral("user"));
    return **found;
}

} // namespace sb::server
