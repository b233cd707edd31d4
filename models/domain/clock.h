#pragma once

#include <QDateTime>
#include <QMutex>

namespace sb {

// Business time: SLA and completion deadlines, job schedules, timestamps. Token expiry, login
// throttling and idempotency retention use the real clock (DESIGN.md "Scheduler and
// configuration"), so a fake clock moved by weeks signs no one out.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // always UTC
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

// Starts at the given time (by default the real time) and moves only when told to.
// Thread-safe: the HTTP thread advances it while the store threads read it.
class FakeClock final : public Clock
{
public:
    explicit FakeClock(const QDateTime &start = QDateTime::currentDateTimeUtc())
        : m_now(start.toUTC())
    { }

    QDateTime now() const override
    {
        QMutexLocker lock(&m_mutex);
        return m_now;
    }

    void advance(qint64 seconds) { advanceMs(seconds * 1000); }

    void advanceMs(qint64 ms)
    {
        QMutexLocker lock(&m_mutex);
        m_now = m_now.addMSecs(ms);
    }

    void set(const QDateTime &t)
    {
        QMutexLocker lock(&m_mutex);
        m_now = t.toUTC();
    }

private:
    mutable QMutex m_mutex;
    QDateTime m_now;
};

} // namespace sb
