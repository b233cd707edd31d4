#include "sessionrepository.h"

#include "sqlquery.h"
#include "userrepository.h"

namespace sb::store {

Result<Session> SessionRepository::create(const QString &tokenHash, const QString &userId,
                                          const QDateTime &createdAt, const QDateTime &expiresAt)
{
    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, "
                              "last_seen_at) VALUES (:hash, :user, :created, :expires, :created)"));
    q.bind(QStringLiteral(":hash"), tokenHash)
        .bind(QStringLiteral(":user"), userId)
        .bind(QStringLiteral(":created"), dbTime(createdAt))
        .bind(QStringLiteral(":expires"), dbTime(expiresAt));
    if (Status s = q.exec(); !s)
        return s.error();
    return Session {tokenHash, userId, createdAt, expiresAt, createdAt};
}

Result<std::optional<AuthenticatedSession>> SessionRepository::findValid(const QString &tokenHash,
                                                                         const QDateTime &now) const
{
    SqlQuery q(m_db,
               QStringLiteral("SELECT s.user_id, s.created_at, s.expires_at, s.last_seen_at "
                              "FROM sessions s JOIN users u ON u.id = s.user_id "
                              "WHERE s.token_hash = :hash AND s.expires_at > :now "
                              "AND u.active = TRUE"));
    q.bind(QStringLiteral(":hash"), tokenHash).bind(QStringLiteral(":now"), dbTime(now));
    if (Status s = q.exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<AuthenticatedSession>();
    const Session session {tokenHash, q.value(0).toString(), fromDbTime(q.value(1)),
                           fromDbTime(q.value(2)), fromDbTime(q.value(3))};
    // The user is read by its own repository, so a User is decoded in one place only.
    Result<std::optional<User>> user = UserRepository(m_db).findById(session.userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->active)
        return std::optional<AuthenticatedSession>();
    return std::optional<AuthenticatedSession>(AuthenticatedSession {session, **user});
}

Result<bool> SessionRepository::touch(const QString &tokenHash, const QDateTime &at,
                                      qint64 minIntervalMs)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE sessions SET last_seen_at = :at "
                              "WHERE token_hash = :hash AND last_seen_at <= :threshold"));
    q.bind(QStringLiteral(":at"), dbTime(at))
        .bind(QStringLiteral(":hash"), tokenHash)
        .bind(QStringLiteral(":threshold"), at.toMSecsSinceEpoch() - minIntervalMs);
    if (Status s = q.exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<bool> SessionRepository::revoke(const QString &tokenHash)
{
    SqlQuery q(m_db, QStringLiteral("DELETE FROM sessions WHERE token_hash = :hash"));
    if (Status s = q.bind(QStringLiteral(":hash"), tokenHash).exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<int> SessionRepository::revokeAllForUser(const QString &userId,
                                                const QString &exceptTokenHash)
{
    SqlQuery q(m_db,
               u"DELETE FROM sessions WHERE user_id = :user"
                   + (exceptTokenHash.isEmpty() ? QString()
                                                : QStringLiteral(" AND token_hash <> :except")));
    q.bind(QStringLiteral(":user"), userId);
    if (!exceptTokenHash.isEmpty())
        q.bind(QStringLiteral(":except"), exceptTokenHash);
    if (Status s = q.exec(); !s)
        return s.error();
    return q.rowsAffected();
}

Result<int> SessionRepository::purgeExpired(const QDateTime &now)
{
    SqlQuery q(m_db, QStringLiteral("DELETE FROM sessions WHERE expires_at <= :now"));
    if (Status s = q.bind(QStringLiteral(":now"), dbTime(now)).exec(); !s)
        return s.error();
    return q.rowsAffected();
}

} // namespace sb::store
