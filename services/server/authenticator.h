#pragma once

#include "caller.h"

#include <domain/result.h>
#include <store/database.h>

#include <QDateTime>
#include <QHash>

namespace sb::server {

// Bearer tokens: random, stored as SHA-256 hashes, resolved to a Caller. A short cache keeps a
// store read off every request; a revocation on this instance empties it at once, one on
// another instance is seen within the cache's lifetime.
class Authenticator
{
public:
    explicit Authenticator(store::Database &db, qint64 cacheMs = 2000);

    Result<Caller> authenticate(const QByteArray &authorizationHeader);
    Result<Caller> authenticateToken(const QString &token);

    static QString newToken();
    static QString hashToken(const QString &token);

    void forgetUser(const QString &userId);
    void forgetToken(const QString &tokenHash);

private:
    struct Cached
    {
        Caller caller;
        QDateTime expiresAt;
        qint64 cachedAtMs = 0;
    };

    store::Database &m_db;
    qint64 m_cacheMs;
    QHash<QString, Cached> m_cache;
};

} // namespace sb::server
