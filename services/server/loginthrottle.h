#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace sb::server {

// Counts failed sign-ins (DESIGN.md "REST conventions"): 5 for one account or 20 from one address
// within 15 minutes lock that account or address until the window ends; meanwhile every sign-in
// there, the right password too, is refused. Real clock, never the business clock. Checked and
// counted on the HTTP thread, so a parallel burst is counted one by one and cannot overshoot.
class LoginThrottle
{
public:
    struct Limits
    {
        int perAccount = 5;
        int perAddress = 20;
        qint64 windowMs = 15 * 60 * 1000;
    };

    LoginThrottle() = default;
    explicit LoginThrottle(Limits limits)
        : m_limits(limits)
    { }

    // Seconds until sign-ins are accepted again, when locked.
    std::optional<int> lockedFor(const QString &account, const QString &address, qint64 nowMs);
    void recordFailure(const QString &account, const QString &address, qint64 nowMs);
    void recordSuccess(const QString &account);

private:
    std::optional<qint64> lockedUntil(QHash<QString, QList<qint64>> &failures, const QString &key,
                                      int limit, qint64 nowMs);
    void prune(QList<qint64> &times, qint64 nowMs) const;

    Limits m_limits;
    QHash<QString, QList<qint64>> m_byAccount;
    QHash<QString, QList<qint64>> m_byAddress;
};

} // namespace sb::server
