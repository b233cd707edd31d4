#include "idempotencyrepository.h"

#include "sqlquery.h"
#include "utf8text.h"

namespace sb::store {

Result<std::optional<IdempotencyRecord>> IdempotencyRepository::find(const QString &userId,
                                                                     const QString &key) const
{
    SqlQuery q(m_db,
               QStringLiteral("SELECT method, path, request_hash, status_code, response_body, "
                              "created_at FROM idempotency_keys "
                              "WHERE user_id = :user AND idem_key = :key"));
    q.bind(QStringLiteral(":user"), userId).bind(QStringLiteral(":key"), key);
    if (Status s = q.exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<IdempotencyRecord>();
    IdempotencyRecord r;
    r.userId = userId;
    r.key = key;
    r.method = q.value(0).toString();
    r.path = q.value(1).toString();
    r.requestHash = q.value(2).toString();
    r.statusCode = q.value(3).toInt();
    r.responseBody = q.value(4).toString().toUtf8();
    r.createdAt = fromDbTime(q.value(5));
    return std::optional<IdempotencyRecord>(r);
}

Status IdempotencyRepository::store(const IdempotencyRecord &r)
{
    // ON CONFLICT DO NOTHING: on PostgreSQL a racing insert of the same key waits for the other
    // transaction and then inserts nothing, so both dialects answer "0 rows" instead of failing.
    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO idempotency_keys (user_id, idem_key, method, path, "
                              "request_hash, status_code, response_body, created_at) VALUES "
                              "(:user, :key, :method, :path, :hash, :status, :body, :created) "
                              "ON CONFLICT (user_id, idem_key) DO NOTHING"));
    q.bind(QStringLiteral(":user"), r.userId)
        .bind(QStringLiteral(":key"), r.key)
        .bind(QStringLiteral(":method"), r.method)
        .bind(QStringLiteral(":path"), r.path)
        .bind(QStringLiteral(":hash"), r.requestHash)
        .bind(QStringLiteral(":status"), r.statusCode)
        .bind(QStringLiteral(":body"), utf8Text(r.responseBody))
        .bind(QStringLiteral(":created"), dbTime(r.createdAt));
    if (Status s = q.exec(); !s)
        return s;
    if (q.rowsAffected() == 0) {
        return Error::make(QStringLiteral("idempotency_conflict"),
                           QStringLiteral("A request with this Idempotency-Key is already "
                                          "recorded."));
    }
    return {};
}

Result<int> IdempotencyRepository::purgeOlderThan(const QDateTime &before)
{
    SqlQuery q(m_db, QStringLiteral("DELETE FROM idempotency_keys WHERE created_at < :before"));
    if (Status s = q.bind(QStringLiteral(":before"), dbTime(before)).exec(); !s)
        return s.error();
    return q.rowsAffected();
}

} // namespace sb::store
