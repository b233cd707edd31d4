#pragma once

#include <domain/change.h>

#include <QObject>

class QTimer;

namespace sb::store {
class Database;
}

namespace sb::server {

class WebSocketHub;

// Fans out the changes that other server instances on the same PostgreSQL database wrote
// (DESIGN.md "Storage"): every 250 ms it reads the change log after the last seq it delivered
// and hands each row to the hub, which sends it to the sockets allowed to see it.
//
// It is also the way this instance's own committed changes reach the hub (deliver()), so that
// the hub's "ignore seqs at or below the last one" never drops a row another instance committed
// just before: a local change that does not directly follow the last seq delivered first makes
// the poller read the rows before it. Seq order is commit order (ChangeLogRepository::append), so
// reading `seq > cursor` never skips a row that commits later.
//
// Not needed with SQLite (one instance per file); ApiServer creates it for PostgreSQL only.
class ChangeLogPoller : public QObject
{
    Q_OBJECT

public:
    ChangeLogPoller(store::Database &db, WebSocketHub &hub, QObject *parent = nullptr);
    ~ChangeLogPoller() override;

    void start(int intervalMs = 250);
    void stop();

    // A change this instance committed. Safe from any thread: handled on the poller's thread.
    void deliver(const Change &change);
    // Reads and delivers every row after the cursor.
    void poll();

    qint64 cursor() const { return m_cursor; }

private:
    void publish(const Change &change);

    store::Database &m_db;
    WebSocketHub &m_hub;
    QTimer *m_timer = nullptr;
    qint64 m_cursor = 0;
};

} // namespace sb::server
