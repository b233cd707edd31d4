#include "testsocket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrl>

namespace sb::test {

TestSocket::TestSocket()
{
    QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                     [this](const QString &text) {
                         m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                     });
    QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket,
                     [this] { m_disconnected = true; });
}

TestSocket::~TestSocket()
{
    m_socket.abort();
}

bool TestSocket::connect(const QString &wsUrl, int timeoutMs)
{
    m_disconnected = false;
    m_socket.open(QUrl(wsUrl));
    return QTest::qWaitFor([this] { return isConnected() || m_disconnected; }, timeoutMs)
        && isConnected();
}

std::optional<QJsonObject> TestSocket::signIn(const QString &wsUrl, const QString &token,
                                              int timeoutMs)
{
    if (!connect(wsUrl, timeoutMs))
        return std::nullopt;
    sendJson({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), token}});
    return waitForFrame(ofType(QStringLiteral("ready")), timeoutMs);
}

std::unique_ptr<TestSocket> TestSocket::signedIn(const QString &wsUrl, const QString &token)
{
    auto socket = std::make_unique<TestSocket>();
    if (!socket->signIn(wsUrl, token))
        return nullptr;
    return socket;
}

void TestSocket::sendJson(const QJsonObject &frame)
{
    sendText(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void TestSocket::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

std::optional<QJsonObject> TestSocket::waitForFrame(const Predicate &predicate, int timeoutMs)
{
    std::optional<QJsonObject> found;
    auto scan = [&] {
        for (qsizetype i = m_cursor; i < m_frames.size(); ++i) {
            if (predicate(m_frames.at(i))) {
                found = m_frames.at(i);
                m_cursor = i + 1;
                return true;
            }
        }
        return false;
    };
    if (!scan())
        (void)QTest::qWaitFor(scan, timeoutMs);
    return found;
}

bool TestSocket::hasFrame(const Predicate &predicate) const
{
    return std::any_of(m_frames.cbegin(), m_frames.cend(), predicate);
}

bool TestSocket::pingPong()
{
    sendJson({{QStringLiteral("type"), QStringLiteral("ping")}});
    return waitForFrame(ofType(QStringLiteral("pong"))).has_value();
}

bool TestSocket::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

bool TestSocket::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_disconnected; }, timeoutMs);
}

void TestSocket::close()
{
    m_socket.close();
}

TestSocket::Predicate TestSocket::ofType(const QString &type)
{
    return [type](const QJsonObject &f) {
        return f.value(u"type").toString() == type;
    };
}

TestSocket::Predicate TestSocket::isEvent(const QString &entity, const QString &id)
{
    return [entity, id](const QJsonObject &f) {
        return f.value(u"type").toString() == u"event" && f.value(u"entity").toString() == entity
            && (id.isEmpty() || f.value(u"id").toString() == id);
    };
}

TestSocket::Predicate TestSocket::isPresence(const QString &roomId, bool conversation)
{
    const QString key
        = conversation ? QStringLiteral("conversationId") : QStringLiteral("ticketId");
    return [key, roomId](const QJsonObject &f) {
        return f.value(u"type").toString() == u"presence" && f.value(key).toString() == roomId;
    };
}

QStringList presenceIds(const QJsonObject &frame, const QString &list)
{
    QStringList ids;
    const QJsonArray entries = frame.value(list).toArray();
    for (const QJsonValue &e : entries)
        ids << e.toObject().value(u"id").toString();
    return ids;
}

} // namespace sb::test
