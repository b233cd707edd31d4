#pragma once

#include <domain/change.h>

#include <QObject>

class QTimer;

namespace sb::store {
class Database;
}

namespace sb::server {

class TicketReadCache;
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
// Every row it hands on also drops what the read cache kept of the rows it touches, before the
// hub sends it: with catchUp() before a kept answer is served (ticketroutes.cpp), a read on this
// instance never gets an answer older than a change another instance committed before it.
//
// Not needed with SQLite (one instance per file); ApiServer creates it for PostgreSQL only.
class ChangeLogPoller : public QObject
{
    Q_OBJECT

public:
    ChangeLogPoller(store::Database &db, WebSocketHub &hub, TicketReadCache &readCache,
                    QObject *parent = nullptr);
    ~ChangeLogPoller() override;

    void start(int intervalMs = 250);
    void stop();

    // A change this instance committed. Safe from any thread: handled on the poller's thread.
    void deliver(const Change &change);
    // Reads and delivers every row after the cursor (nothing inside a transaction).
    void poll();
    // Whether every change committed so far has been delivered (and so dropped from the read
    // cache): one indexed read of the latest seq, and a poll first when the cursor is behind it.
    bool catchUp();

    qint64 cursor() const { return m_cursor; }

private:
    void publish(const Change &change);

    store::Database &m_db;
    WebSocketHub &m_hub;
    TicketReadCache &m_readCache;
    QTimer *m_timer = nullptr;
    qint64 m_cursor = 0;
};

} // namespace sb::server
