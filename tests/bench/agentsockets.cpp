#include "agentsockets.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

namespace sb::bench {

namespace {

// Event frames are compact JSON with sorted keys: ...,"entity":"message","id":"<id>",... The
// id is read without parsing the whole frame, so that the 200th socket's timestamp is not
// delayed by parsing the 199 frames before it.
const QString kMessageEvent = QStringLiteral("\"entity\":\"message\",\"id\":\"");

} // namespace

AgentSockets::AgentSockets(const QElapsedTimer &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{ }

AgentSockets::~AgentSockets()
{
    for (const auto &socket : m_sockets) {
        socket->disconnect(this);
        socket->abort();
    }
}

void AgentSockets::open(const QUrl &url, const QStringList &tokens)
{
    for (const QString &token : tokens) {
        auto socket = std::make_unique<QWebSocket>();
        QWebSocket *raw = socket.get();
        connect(raw, &QWebSocket::connected, this, [raw, token] {
            const QJsonObject auth {{QStringLiteral("type"), QStringLiteral("auth")},
                                    {QStringLiteral("token"), token}};
            raw->sendTextMessage(
                QString::fromUtf8(QJsonDocument(auth).toJson(QJsonDocument::Compact)));
        });
        connect(raw, &QWebSocket::textMessageReceived, this, &AgentSockets::onText);
        raw->open(url);
        m_sockets.push_back(std::move(socket));
    }
}

void AgentSockets::onText(const QString &frame)
{
    const qint64 now = m_clock.nsecsElapsed(); // before any work on the frame
    const qsizetype at = frame.indexOf(kMessageEvent);
    if (at >= 0) {
        const qsizetype start = at + kMessageEvent.size();
        const QString id = frame.mid(start, frame.indexOf(u'"', start) - start);
        Arrival &a = m_arrivals[id];
        if (a.count++ == 0)
            a.firstNs = now;
        a.lastNs = now;
        return;
    }
    const QString type = QJsonDocument::fromJson(frame.toUtf8()).object().value(u"type").toString();
    if (type == u"ready")
        ++m_ready;
    else if (type == u"error")
        ++m_refused;
}

} // namespace sb::bench
