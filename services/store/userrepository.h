#pragma once

#include <domain/result.h>
#include <domain/user.h>

#include <QHash>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace sb::store {

struct UserCredentials
{
    User user;
    QString passwordHash;
};

struct UserFilter
{
    std::optional<Role> role;
    std::optional<bool> active;
    QString q; // name or e-mail contains, case-insensitive
    int limit = 50;
    int offset = 0;
};

struct UserPage
{
    QList<User> items;
    qint64 total = 0;
};

// Users and their password hashes. E-mail addresses are unique without regard to case.
class UserRepository
{
public:
    explicit UserRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Assigns id when empty; createdAt must be set by the caller (business clock).
    // An e-mail already taken answers Error "email_taken".
    Result<User> insert(const User &user, const QString &passwordHash);
    Result<std::optional<User>> findById(const QString &id) const;
    // Many at once, in one statement: those that exist, by id.
    Result<QHash<QString, User>> findByIds(const QStringList &ids) const;
    Result<std::optional<UserCredentials>> findByEmail(const QString &email) const;
    Result<std::optional<QString>> passwordHash(const QString &userId) const;
    Result<UserPage> list(const UserFilter &filter) const;
    Result<qint64> count() const;

    // Writes name, email, role, availability, active, phone when the row still has expectedVersion,
    // and bumps it; otherwise Error "version_conflict" (or "not_found").
    Result<User> update(const User &user, int expectedVersion);
    Status setPasswordHash(const QString &userId, const QString &hash);
    Status setAvailability(const QString &userId, Availability availability);
    Status touchLastAssigned(const QString &userId, const QDateTime &at);
    Status touchLastAssigned(const QStringList &userIds, const QDateTime &at);

    // Active agents (support, admin) with the number of their tickets in assigned, in_progress or
    // pending: the figure auto-assignment compares (DESIGN.md "Support agents").
    struct AgentLoad
    {
        User agent;
        int activeTickets = 0;
    };
    Result<QList<AgentLoad>> agentsWithLoad() const;
    // The plan of agentsWithLoad's statement (queryplan.h): tests check it counts from the
    // partial index of active tickets.
    Result<QString> explainAgentsWithLoad() const;

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
