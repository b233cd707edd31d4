#include "changelogpoller.h"

#include "serverlog.h"
#include "ticketreadcache.h"
#include "websockethub.h"

#include <store/changelogrepository.h>
#include <store/database.h>

#include <QThread>
#include <QTimer>

namespace sb::server {

namespace {

constexpr int kPageSize = 500;

} // namespace

ChangeLogPoller::ChangeLogPoller(store::Database &db, WebSocketHub &hub, TicketReadCache &readCache,
                                 QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_hub(hub)
    , m_readCache(readCache)
    , m_timer(new QTimer(this))
{
    // Live events start after what the log already holds, as the hub's do: a client reads
    // those through /sync/changes.
    if (const auto latest = store::ChangeLogRepository(m_db.connection()).latestSeq())
        m_cursor = *latest;
    connect(m_timer, &QTimer::timeout, this, &ChangeLogPoller::poll);
}

ChangeLogPoller::~ChangeLogPoller() = default;

void ChangeLogPoller::start(int intervalMs)
{
    m_timer->start(intervalMs);
}

void ChangeLogPoller::stop()
{
    m_timer->stop();
}

void ChangeLogPoller::deliver(const Change &change)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(
            this, [this, change] { deliver(change); }, Qt::QueuedConnection);
        return;
    }
    if (change.seq == m_cursor + 1)
        publish(change);
    else if (change.seq > m_cursor)
        poll(); // rows before it (another instance's, or seqs lost to rollbacks), then it
    // At or below the cursor: a poll delivered it already. A poll that failed leaves it to the
    // next one, in order, rather than skip the rows before it.
}

void ChangeLogPoller::poll()
{
    // A poll from inside a transaction would see that transaction's uncommitted rows.
    if (m_db.inTransaction())
        return;
    const store::ChangeLogRepository log(m_db.connection());
    for (;;) {
        const auto page = log.allSince(m_cursor, kPageSize);
        if (!page) {
            qCWarning(lcServer).noquote()
                << "change-log poll failed:" << page.error().message << "(retrying)";
            return;
        }
        for (const Change &change : page->changes)
            publish(change);
        if (!page->hasMore)
            return;
    }
}

bool ChangeLogPoller::catchUp()
{
    const auto latest = store::ChangeLogRepository(m_db.connection()).latestSeq();
    if (!latest)
        return false; // cannot tell
    if (*latest > m_cursor)
        poll();
    return m_cursor >= *latest;
}

void ChangeLogPoller::publish(const Change &change)
{
    m_cursor = change.seq;
    m_readCache.invalidate(change); // this instance's own were dropped at their commit already
    m_hub.publish(change);
}

} // namespace sb::server
