#pragma once

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <vector>

namespace sb::store {
class Database;
}

namespace sb::server {

// Group commit for the API's small writes (README "Group commit"). The requests of a grouped
// route that arrive in one turn of the event loop run in one transaction of the store, each in
// its own savepoint (store::Database::openGroup), and are answered once its one COMMIT is
// durable: on SQLite a message POST's commit (its WAL frames) was a third of its cost. The
// group closes when control returns to the event loop, after `maxMembers` requests, or before
// anything else uses the store on this thread (a job, a read, another route). A client never
// hears of a write before it is committed, and when the COMMIT fails every request of the
// group gets the error, none of them having happened.
class Metrics;

class CommitGroup
{
public:
    // Counts groups and their requests in `metrics` (switchboard_commit_groups,
    // switchboard_grouped_requests: their ratio is the mean group size). Not enabled
    // (SWITCHBOARD_GROUP_COMMIT=0), every request commits on its own and is answered at once.
    CommitGroup(store::Database &db, Metrics &metrics, bool enabled, int maxMembers = 64);
    ~CommitGroup();
    CommitGroup(const CommitGroup &) = delete;
    CommitGroup &operator=(const CommitGroup &) = delete;

    // How an answer leaves: the headers every answer carries (the request is gone by then).
    using Finish = std::function<void(QHttpServerResponse &)>;

    // Runs work() in this turn's group and answers with its response after the group commits,
    // in the order the requests came. Without a group to join (not enabled, or the store refused
    // to begin one) work runs on its own and is answered at once.
    void run(const std::function<QHttpServerResponse()> &work, QHttpServerResponder &&responder,
             Finish finish);
    // Commits the group and sends its answers; nothing when no group is open.
    void close();

private:
    struct Pending
    {
        QPointer<QTcpSocket> socket;
        QHttpServerResponder responder;
        QHttpServerResponse response;
        Finish finish;
    };
    static void send(Pending &pending);

    store::Database &m_db;
    Metrics &m_metrics;
    const bool m_enabled;
    const int m_maxMembers;
    std::vector<Pending> m_pending;
    qint64 m_groups = 0;
    qint64 m_members = 0;
    QObject m_turn; // context of the queued close at the end of the event loop's turn
};

} // namespace sb::server
