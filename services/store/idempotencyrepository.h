#pragma once

#include <domain/result.h>

#include <QByteArray>
#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace sb::store {

// The answer stored for one Idempotency-Key of one caller (DESIGN.md "REST conventions").
struct IdempotencyRecord
{
    QString userId;
    QString key;
    QString method;
    QString path;
    QString requestHash; // of the request body: the same key with another body is refused
    int statusCode = 0;
    QByteArray responseBody; // UTF-8 JSON
    QDateTime createdAt; // real clock
};

class IdempotencyRepository
{
public:
    explicit IdempotencyRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    Result<std::optional<IdempotencyRecord>> find(const QString &userId, const QString &key) const;
    // A key already stored (also by a request racing on another connection) answers Error
    // "idempotency_conflict", never a driver error.
    Status store(const IdempotencyRecord &record);
    // Answers how many were removed.
    Result<int> purgeOlderThan(const QDateTime &before);

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
