#include "commitgroup.h"

#include "apirouter.h"
#include "metrics.h"
#include "serverlog.h"

#include <store/database.h>

namespace sb::server {

CommitGroup::CommitGroup(store::Database &db, Metrics &metrics, bool enabled, int maxMembers)
    : m_db(db)
    , m_metrics(metrics)
    , m_enabled(enabled)
    , m_maxMembers(maxMembers)
{ }

CommitGroup::~CommitGroup()
{
    close();
}

void CommitGroup::run(const std::function<QHttpServerResponse()> &work,
                      QHttpServerResponder &&responder, Finish finish)
{
    if (!m_db.groupOpen()) {
        if (!m_enabled || !m_db.openGroup([this] { close(); })) {
            QHttpServerResponse response = work(); // on its own: it begins and commits itself
            finish(response);
            response.write(std::move(responder));
            return;
        }
        // Posted now, it runs after the sockets that are ready in this turn have been read.
        QMetaObject::invokeMethod(
            &m_turn, [this] { close(); }, Qt::QueuedConnection);
    }
    QPointer<QTcpSocket> socket = responder.socket();
    QHttpServerResponse response = [&] {
        store::Database::GroupMember member(m_db);
        return work();
    }();
    m_pending.push_back({socket, std::move(responder), std::move(response), std::move(finish)});
    if (int(m_pending.size()) >= m_maxMembers)
        close();
}

void CommitGroup::close()
{
    if (!m_db.groupOpen())
        return;
    // The hooks of the members' transactions (events to WebSockets, the read cache) run in here.
    const Status committed = m_db.closeGroup();
    std::vector<Pending> pending = std::exchange(m_pending, {});
    m_groups += 1;
    m_members += qint64(pending.size());
    m_metrics.setGauge(QStringLiteral("switchboard_commit_groups"), double(m_groups));
    m_metrics.setGauge(QStringLiteral("switchboard_grouped_requests"), double(m_members));
    if (!committed) {
        qCWarning(lcHttp).noquote() << "a group of" << pending.size()
                                    << "requests was not committed:" << committed.error().message;
        for (Pending &p : pending)
            p.response = failure(committed.error());
    }
    for (Pending &p : pending)
        send(p);
}

void CommitGroup::send(Pending &pending)
{
    // The client may have gone: QHttpServer deletes a disconnected socket, and the responder
    // must then not touch it (its destructor does not).
    if (!pending.socket || pending.socket->state() != QAbstractSocket::ConnectedState)
        return;
    pending.finish(pending.response);
    pending.response.write(std::move(pending.responder));
}

} // namespace sb::server
