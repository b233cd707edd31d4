#include "websockethub.h"

#include "httpreply.h"
#include "servercontext.h"
#include "serverlog.h"

#include <domain/changevisibility.h>
#include <domain/jsoncodec.h>

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QTimer>
#include <QWebSocket>

namespace sb::server {

namespace {

constexpr int kAuthTimeoutMs = 10000;
constexpr qint64 kMaxFrameBytes = 64 * 1024;

QString compact(const QJsonObject &frame)
{
    return QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact));
}

} // namespace

WebSocketHub::WebSocketHub(ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

WebSocketHub::~WebSocketHub()
{
    closeAll();
}

void WebSocketHub::install(QHttpServer &http)
{
    m_http = &http;
    // In Qt 6.4 an upgrade is accepted only when a route matches and its handler answers
    // nothing; a plain GET on the same path gets a clear error instead.
    http.route(QStringLiteral("/api/v1/ws"), QHttpServerRequest::Method::Get,
               [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   if (request.value("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
                       return;
                   responder.write(
                       errorBody(Error::make(QStringLiteral("upgrade_required"),
                                             QStringLiteral("Connect with a WebSocket."))),
                       {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}},
                       QHttpServerResponder::StatusCode::UpgradeRequired);
               });
    connect(&http, &QHttpServer::newWebSocketConnection, this, [this] {
        while (m_http->hasPendingWebSocketConnections())
            accept(m_http->nextPendingWebSocketConnection());
    });
}

void WebSocketHub::accept(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket *raw = socket.get();
    raw->setMaxAllowedIncomingFrameSize(kMaxFrameBytes);
    raw->setMaxAllowedIncomingMessageSize(kMaxFrameBytes);
    Connection &c = m_connections[raw];
    c.socket = std::move(socket);
    c.authDeadline = new QTimer(this);
    c.authDeadline->setSingleShot(true);
    connect(c.authDeadline, &QTimer::timeout, this, [this, raw] {
        const auto it = m_connections.find(raw);
        if (it != m_connections.end() && !it->second.caller)
            refuse(it->second, QStringLiteral("unauthorized"));
    });
    c.authDeadline->start(kAuthTimeoutMs);
    connect(raw, &QWebSocket::textMessageReceived, this,
            [this, raw](const QString &text) { onText(raw, text); });
    connect(raw, &QWebSocket::binaryMessageReceived, this, [this, raw](const QByteArray &) {
        const auto it = m_connections.find(raw);
        if (it != m_connections.end())
            refuse(it->second, QStringLiteral("unsupported_frame"));
    });
    connect(raw, &QWebSocket::disconnected, this, [this, raw] { drop(raw); });
}

void WebSocketHub::onText(QWebSocket *socket, const QString &text)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = it->second;
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(u"type").toString();
    if (!c.caller) {
        if (type == u"auth")
            authenticate(c, frame);
        else
            refuse(c, QStringLiteral("unauthorized"));
        return;
    }
    if (type == u"ping") {
        send(c, {{QStringLiteral("type"), QStringLiteral("pong")}});
    } else if (type == u"subscribe" || type == u"unsubscribe") {
        const QString conversationId = frame.value(u"conversationId").toString();
        if (type == u"subscribe")
            c.subscriptions.insert(conversationId);
        else
            c.subscriptions.remove(conversationId);
    } else {
        send(c,
             {{QStringLiteral("type"), QStringLiteral("error")},
              {QStringLiteral("code"), QStringLiteral("unknown_frame")},
              {QStringLiteral("message"), QStringLiteral("Unknown frame type.")}});
    }
}

void WebSocketHub::authenticate(Connection &c, const QJsonObject &frame)
{
    auto caller = m_context.auth.authenticateToken(frame.value(u"token").toString());
    if (!caller) {
        refuse(c, QStringLiteral("unauthorized"));
        return;
    }
    c.caller = std::move(*caller);
    c.authDeadline->stop();
    send(c,
         {{QStringLiteral("type"), QStringLiteral("ready")},
          {QStringLiteral("user"), toJson(c.caller->user)}});
}

void WebSocketHub::refuse(Connection &c, const QString &code)
{
    send(c, {{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("code"), code}});
    c.socket->close(QWebSocketProtocol::CloseCodePolicyViolated, code);
}

void WebSocketHub::send(Connection &c, const QJsonObject &frame)
{
    c.socket->sendTextMessage(compact(frame));
}

void WebSocketHub::publish(const Change &change)
{
    QJsonObject frame {{QStringLiteral("type"), QStringLiteral("event")},
                       {QStringLiteral("seq"), change.seq},
                       {QStringLiteral("entity"), change.entity},
                       {QStringLiteral("op"), toString(change.op)},
                       {QStringLiteral("id"), change.entityId},
                       {QStringLiteral("data"), change.data}};
    const QString text = compact(frame); // serialised once for every socket
    for (auto &[socket, c] : m_connections) {
        if (c.caller && isChangeVisibleTo(change, c.caller->role(), c.caller->id()))
            c.socket->sendTextMessage(text);
    }
}

void WebSocketHub::drop(QWebSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->second.authDeadline->deleteLater();
    // The socket may be inside its own signal: delete it later, not here.
    it->second.socket.release()->deleteLater();
    m_connections.erase(it);
}

void WebSocketHub::closeUser(const QString &userId, const QString &exceptTokenHash)
{
    for (auto &[socket, c] : m_connections) {
        if (c.caller && c.caller->id() == userId && c.caller->tokenHash != exceptTokenHash)
            c.socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("signed out"));
    }
}

void WebSocketHub::closeToken(const QString &tokenHash)
{
    for (auto &[socket, c] : m_connections) {
        if (c.caller && c.caller->tokenHash == tokenHash)
            c.socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("signed out"));
    }
}

void WebSocketHub::closeAll()
{
    QList<QWebSocket *> sockets;
    for (const auto &entry : m_connections)
        sockets.append(entry.first);
    for (QWebSocket *s : std::as_const(sockets))
        s->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server stopping"));
}

int WebSocketHub::authenticatedCount() const
{
    int n = 0;
    for (const auto &[socket, c] : m_connections)
        n += c.caller ? 1 : 0;
    return n;
}

} // namespace sb::server
