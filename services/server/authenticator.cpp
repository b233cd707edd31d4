#include "authenticator.h"

#include "apierrors.h"

#include <store/sessionrepository.h>

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace sb::server {

namespace {

constexpr int kMaxCachedTokens = 10000;

} // namespace

Authenticator::Authenticator(store::Database &db, qint64 cacheMs)
    : m_db(db)
    , m_cacheMs(cacheMs)
{ }

QString Authenticator::newToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString Authenticator::hashToken(const QString &token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toLatin1(), QCryptographicHash::Sha256).toHex());
}

Result<Caller> Authenticator::authenticate(const QByteArray &authorizationHeader)
{
    static const QByteArray scheme = QByteArrayLiteral("bearer ");
    if (authorizationHeader.size() <= scheme.size()
        || authorizationHeader.left(scheme.size()).toLower() != scheme)
        return errors::unauthorized();
    return authenticateToken(QString::fromLatin1(authorizationHeader.mid(scheme.size()).trimmed()));
}

Result<Caller> Authenticator::authenticateToken(const QString &token)
{
    if (token.isEmpty() || token.size() > 200)
        return errors::unauthorized();
    const QString hash = hashToken(token);
    // Token expiry runs on the real clock, never the business clock.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 nowMs = now.toMSecsSinceEpoch();

    const auto cached = m_cache.constFind(hash);
    if (cached != m_cache.cend() && nowMs - cached->cachedAtMs < m_cacheMs
        && cached->expiresAt > now)
        return cached->caller;

    store::SessionRepository sessions(m_db.connection());
    const auto found = sessions.findValid(hash, now);
    if (!found)
        return found.error();
    if (!*found) {
        m_cache.remove(hash);
        return Error::make(QStringLiteral("unauthorized"),
                           QStringLiteral("Your session has ended. Sign in again."));
    }
    (void)sessions.touch(hash, now);
    if (m_cache.size() >= kMaxCachedTokens)
        m_cache.clear();
    Caller caller {(*found)->user, hash};
    m_cache.insert(hash, Cached {caller, (*found)->session.expiresAt, nowMs});
    return caller;
}

void Authenticator::forgetUser(const QString &userId)
{
    m_cache.removeIf([&](const auto &entry) { return entry.value().caller.id() == userId; });
}

void Authenticator::forgetToken(const QString &tokenHash)
{
    m_cache.remove(tokenHash);
}

} // namespace sb::server
