#include "loginthrottle.h"

#include <algorithm>

namespace sb::server {

void LoginThrottle::prune(QList<qint64> &times, qint64 nowMs) const
{
    times.removeIf([&](qint64 t) { return nowMs - t >= m_limits.windowMs; });
}

std::optional<qint64> LoginThrottle::lockedUntil(QHash<QString, QList<qint64>> &failures,
                                                 const QString &key, int limit, qint64 nowMs)
{
    const auto it = failures.find(key);
    if (it == failures.end())
        return std::nullopt;
    prune(*it, nowMs);
    if (it->isEmpty()) {
        failures.erase(it);
        return std::nullopt;
    }
    if (it->size() < limit)
        return std::nullopt;
    // Locked until the window of the failure that reached the limit ends.
    return it->at(it->size() - limit) + m_limits.windowMs;
}

std::optional<int> LoginThrottle::lockedFor(const QString &account, const QString &address,
                                            qint64 nowMs)
{
    const auto a = lockedUntil(m_byAccount, account, m_limits.perAccount, nowMs);
    const auto b = lockedUntil(m_byAddress, address, m_limits.perAddress, nowMs);
    if (!a && !b)
        return std::nullopt;
    const qint64 until = std::max(a.value_or(0), b.value_or(0));
    return int((until - nowMs + 999) / 1000);
}

void LoginThrottle::recordFailure(const QString &account, const QString &address, qint64 nowMs)
{
    m_byAccount[account].append(nowMs);
    m_byAddress[address].append(nowMs);
}

void LoginThrottle::recordSuccess(const QString &account)
{
    m_byAccount.remove(account);
}

} // namespace sb::server
