#pragma once

#include <domain/result.h>
#include <domain/user.h>

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace sb::store {

// A signed-in session. Only the hash of its token is stored. All its times are real-clock
// times: a fake business clock never signs anyone out (DESIGN.md "Scheduler and configuration").
struct Session
{
    QString tokenHash;
    QString userId;
    QDateTime createdAt;
    QDateTime expiresAt;
    QDateTime lastSeenAt;
};

struct AuthenticatedSession
{
    Session session;
    User user;
};

class SessionRepository
{
public:
    explicit SessionRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    Result<Session> create(const QString &tokenHash, const QString &userId,
                           const QDateTime &createdAt, const QDateTime &expiresAt);
    // The session and its user, if the token is known, not expired at `now` and its user active.
    Result<std::optional<AuthenticatedSession>> findValid(const QString &tokenHash,
                                                          const QDateTime &now) const;
    // Moves lastSeenAt to `at`, but writes only when it moves by at least minInterval, so that
    // every authenticated request is not also a write. Answers whether it wrote.
    Result<bool> touch(const QString &tokenHash, const QDateTime &at, qint64 minIntervalMs = 60000);
    // Answers whether there was such a session.
    Result<bool> revoke(const QString &tokenHash);
    // Ends every session of the user but the one named (password change); answers how many.
    Result<int> revokeAllForUser(const QString &userId, const QString &exceptTokenHash = {});
    Result<int> purgeExpired(const QDateTime &now);

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
