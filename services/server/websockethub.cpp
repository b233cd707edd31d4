#include "websockethub.h"

#include "httpreply.h"
#include "servercontext.h"

#include <domain/changevisibility.h>
#include <domain/jsoncodec.h>
#include <store/changelogrepository.h>
#include <store/conversationrepository.h>

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

namespace sb::server {

namespace {

Q_LOGGING_CATEGORY(lcRealtime, "switchboard.realtime", QtInfoMsg)

constexpr int kAuthTimeoutMs = 10000;
// A peer that does not answer our close frame within this time is cut off.
constexpr int kCloseGraceMs = 2000;
constexpr qint64 kMaxFrameBytes = 64 * 1024;
// A client that reads slower than events arrive is dropped before its buffer grows without
// bound; it reconnects and catches up through /sync/changes.
constexpr qint64 kMaxBacklogBytes = 8 * 1024 * 1024;
constexpr qsizetype kMaxRooms = 50; // tickets viewed or typed in, per socket
constexpr qsizetype kMaxSubscriptions = 50;
constexpr qsizetype kMaxIdLength = 64;

QString compact(const QJsonObject &frame)
{
    return QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact));
}

QJsonObject typed(const QString &type, const QString &key = {}, const QString &value = {})
{
    QJsonObject frame {{QStringLiteral("type"), type}};
    if (!key.isEmpty())
        frame.insert(key, value);
    return frame;
}

Presence::Person personOf(const Caller &caller)
{
    return {caller.id(), caller.user.name, caller.role()};
}

} // namespace

WebSocketHub::WebSocketHub(ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    // Events start after what is already in the log; a client fetches that through
    // /sync/changes?since= (the ready frame tells it where the live stream begins).
    if (const auto latest = store::ChangeLogRepository(m_context.db.connection()).latestSeq())
        m_lastSeq = *latest;
    connect(&m_presence, &Presence::expired, this,
            [this](const Presence::Room &room) { broadcast(room); });
}

WebSocketHub::~WebSocketHub()
{
    closeAll();
    // The sockets die with the map below; none may call back into a hub being destroyed.
    for (const auto &[socket, c] : m_connections) {
        socket->disconnect(this);
        delete c.authDeadline;
    }
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
        if (it == m_connections.end() || it->second.closing)
            return;
        if (!it->second.caller)
            refuse(it->second, QStringLiteral("unauthorized"));
        else
            sendError(it->second, QStringLiteral("invalid_frame"),
                      QStringLiteral("Frames are JSON text."));
    });
    connect(raw, &QWebSocket::disconnected, this, [this, raw] { drop(raw); });
}

void WebSocketHub::onText(QWebSocket *socket, const QString &text)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->second.closing)
        return;
    Connection &c = it->second;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    const QJsonObject frame = document.object();
    const QString type = frame.value(u"type").toString();
    if (!c.caller) {
        if (type == u"auth")
            authenticate(c, frame);
        else
            refuse(c, QStringLiteral("unauthorized"));
        return;
    }
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        sendError(c, QStringLiteral("invalid_json"),
                  QStringLiteral("A frame is one JSON object with a \"type\"."));
        return;
    }
    handle(c, type, frame);
}

void WebSocketHub::handle(Connection &c, const QString &type, const QJsonObject &frame)
{
    if (type == u"ping") {
        send(c, typed(QStringLiteral("pong")));
    } else if (type == u"subscribe" || type == u"unsubscribe") {
        const QString id = frame.value(u"conversationId").toString();
        if (id.isEmpty() || id.size() > kMaxIdLength) {
            sendError(c, QStringLiteral("invalid_field"),
                      QStringLiteral("conversationId must be a conversation's id."),
                      QStringLiteral("conversationId"));
        } else if (type == u"subscribe") {
            subscribe(c, id);
        } else {
            unsubscribe(c, id);
        }
    } else if (type == u"viewing" || type == u"stopViewing" || type == u"typing"
               || type == u"stopTyping") {
        presenceFrame(c, type, frame);
    } else if (type == u"auth") {
        sendError(c, QStringLiteral("already_authenticated"),
                  QStringLiteral("This socket is already signed in."));
    } else {
        sendError(c, QStringLiteral("unknown_frame"),
                  QStringLiteral("Unknown frame type \"%1\".").arg(type.left(40)));
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
          {QStringLiteral("user"), toJson(c.caller->user)},
          {QStringLiteral("seq"), m_lastSeq}});
    // An agent's console shows who is on which ticket from the start, not from the next change.
    if (c.caller->isAgent()) {
        const QList<Presence::Room> rooms = m_presence.rooms(Presence::Kind::Ticket);
        for (const Presence::Room &room : rooms)
            send(c, m_presence.frame(room));
    }
}

void WebSocketHub::subscribe(Connection &c, const QString &conversationId)
{
    const Caller &caller = *c.caller;
    if (caller.role() == Role::Technician) {
        sendError(c, QStringLiteral("forbidden"),
                  QStringLiteral("Conversations are between customers and support."));
        return;
    }
    if (!caller.isAgent()) {
        // A customer only to its own: another's answers as a missing one (no hint it exists).
        const auto found
            = store::ConversationRepository(m_context.db.connection()).findById(conversationId);
        if (!found || !*found || (*found)->customerId != caller.id()) {
            sendError(c, QStringLiteral("not_found"),
                      QStringLiteral("There is no such conversation."),
                      QStringLiteral("conversationId"));
            return;
        }
    }
    if (!c.subscriptions.contains(conversationId) && c.subscriptions.size() >= kMaxSubscriptions) {
        sendError(c, QStringLiteral("too_many_subscriptions"),
                  QStringLiteral("Unsubscribe from a conversation first."));
        return;
    }
    c.subscriptions.insert(conversationId);
    send(c, typed(QStringLiteral("subscribed"), QStringLiteral("conversationId"), conversationId));
    const Presence::Room room {Presence::Kind::Conversation, conversationId};
    presenceChanged(room, &c, m_presence.view(room, c.socket.get(), personOf(caller)));
}

void WebSocketHub::unsubscribe(Connection &c, const QString &conversationId)
{
    c.subscriptions.remove(conversationId);
    send(c,
         typed(QStringLiteral("unsubscribed"), QStringLiteral("conversationId"), conversationId));
    const Presence::Room room {Presence::Kind::Conversation, conversationId};
    if (m_presence.stopViewing(room, c.socket.get()))
        broadcast(room);
}

void WebSocketHub::presenceFrame(Connection &c, const QString &type, const QJsonObject &frame)
{
    const Caller &caller = *c.caller;
    const bool conversation = frame.contains(u"conversationId");
    const QString field
        = conversation ? QStringLiteral("conversationId") : QStringLiteral("ticketId");
    const QString id = frame.value(field).toString();
    if (id.isEmpty() || id.size() > kMaxIdLength) {
        sendError(c, QStringLiteral("invalid_field"),
                  QStringLiteral("%1 must be an id.").arg(field), field);
        return;
    }
    const Presence::Room room {conversation ? Presence::Kind::Conversation : Presence::Kind::Ticket,
                               id};
    if (conversation) {
        // Being in a conversation is subscribing to it; typing needs that first.
        if (type == u"viewing" || type == u"stopViewing") {
            sendError(c, QStringLiteral("invalid_field"),
                      QStringLiteral("Subscribe to a conversation to be seen in it."),
                      QStringLiteral("ticketId"));
            return;
        }
        if (!c.subscriptions.contains(id)) {
            sendError(c, QStringLiteral("not_subscribed"),
                      QStringLiteral("Subscribe to the conversation first."), field);
            return;
        }
    } else if (!caller.isAgent()) {
        // Ticket presence is the agents' collision detection; customers neither see nor feed it.
        sendError(c, QStringLiteral("forbidden"),
                  QStringLiteral("Ticket presence is for support agents."));
        return;
    }
    const bool starts = type == u"viewing" || type == u"typing";
    if (starts && !m_presence.isIn(room, c.socket.get())
        && m_presence.roomCount(c.socket.get()) >= kMaxRooms) {
        sendError(c, QStringLiteral("too_many_rooms"),
                  QStringLiteral("Stop viewing a ticket first."));
        return;
    }
    if (type == u"viewing")
        presenceChanged(room, &c, m_presence.view(room, c.socket.get(), personOf(caller)));
    else if (type == u"typing")
        presenceChanged(room, nullptr, m_presence.typing(room, c.socket.get(), personOf(caller)));
    else if (type == u"stopViewing")
        presenceChanged(room, nullptr, m_presence.stopViewing(room, c.socket.get()));
    else
        presenceChanged(room, nullptr, m_presence.stopTyping(room, c.socket.get()));
}

// A change goes to everyone concerned; an unchanged room is still shown to a newcomer (self).
void WebSocketHub::presenceChanged(const Presence::Room &room, Connection *self, bool changed)
{
    if (changed)
        broadcast(room);
    else if (self)
        send(*self, m_presence.frame(room));
}

void WebSocketHub::broadcast(const Presence::Room &room)
{
    const QString text = compact(m_presence.frame(room));
    for (auto &[socket, c] : m_connections) {
        if (!c.live())
            continue;
        const bool concerned = room.kind == Presence::Kind::Ticket
            ? c.caller->isAgent()
            : c.subscriptions.contains(room.id);
        if (concerned)
            c.socket->sendTextMessage(text);
    }
}

void WebSocketHub::sendError(Connection &c, const QString &code, const QString &message,
                             const QString &field)
{
    QJsonObject frame {{QStringLiteral("type"), QStringLiteral("error")},
                       {QStringLiteral("code"), code},
                       {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        frame.insert(QStringLiteral("field"), field);
    send(c, frame);
}

void WebSocketHub::refuse(Connection &c, const QString &code)
{
    send(c, typed(QStringLiteral("error"), QStringLiteral("code"), code));
    shut(c.socket.get(), QWebSocketProtocol::CloseCodePolicyViolated, code);
}

void WebSocketHub::send(Connection &c, const QJsonObject &frame)
{
    c.socket->sendTextMessage(compact(frame));
}

void WebSocketHub::publish(const Change &change)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(
            this, [this, change] { publish(change); }, Qt::QueuedConnection);
        return;
    }
    if (change.seq <= m_lastSeq)
        return;
    m_lastSeq = change.seq;

    // Serialised once for every socket, and only when one will read it: most changes (a
    // notification, for one user) reach no socket at all.
    std::optional<QString> text;
    const auto frameText = [&] {
        if (!text) {
            QJsonObject frame = toJson(change); // the same shape as a /sync/changes entry
            frame.insert(QStringLiteral("type"), QStringLiteral("event"));
            text = compact(frame);
        }
        return *text;
    };
    // A user whose role changed must reconnect: its socket would keep the old role's view.
    const QString newRole
        = change.entity == u"user" ? dataOf(change).value(u"role").toString() : QString();
    QList<QWebSocket *> toShut;
    for (auto &[socket, c] : m_connections) {
        if (!c.live())
            continue;
        if (!newRole.isEmpty() && c.caller->id() == change.entityId
            && newRole != toString(c.caller->role())) {
            toShut << socket;
            continue;
        }
        if (!isChangeVisibleTo(change, c.caller->role(), c.caller->id()))
            continue;
        c.socket->sendTextMessage(frameText());
        if (c.socket->bytesToWrite() > kMaxBacklogBytes)
            toShut << socket;
    }
    for (QWebSocket *socket : std::as_const(toShut))
        shut(socket, QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("reconnect"));
}

void WebSocketHub::shut(QWebSocket *socket, QWebSocketProtocol::CloseCode code,
                        const QString &reason)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->second.closing)
        return;
    Connection &c = it->second;
    c.closing = true;
    c.authDeadline->stop();
    leavePresence(c);
    qCDebug(lcRealtime) << "closing a socket:" << reason;
    QTimer::singleShot(kCloseGraceMs, socket, [socket] { socket->abort(); });
    // close() may emit disconnected at once, and drop() then erases c: touch nothing after it.
    socket->close(code, reason);
}

void WebSocketHub::shutWhere(const std::function<bool(const Connection &)> &which,
                             QWebSocketProtocol::CloseCode code, const QString &reason)
{
    // Collected first: closing a socket may erase its connection from the map.
    QList<QWebSocket *> sockets;
    for (const auto &[socket, c] : m_connections) {
        if (which(c))
            sockets << socket;
    }
    for (QWebSocket *socket : std::as_const(sockets))
        shut(socket, code, reason);
}

void WebSocketHub::leavePresence(Connection &c)
{
    c.subscriptions.clear(); // before broadcasting: a leaving socket hears nothing more
    const QList<Presence::Room> changed = m_presence.leaveAll(c.socket.get());
    for (const Presence::Room &room : changed)
        broadcast(room);
}

void WebSocketHub::drop(QWebSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection c = std::move(it->second);
    m_connections.erase(it);
    leavePresence(c);
    c.authDeadline->deleteLater();
    // The socket may be inside its own signal: delete it later, not here.
    c.socket.release()->deleteLater();
}

void WebSocketHub::closeUser(const QString &userId, const QString &exceptTokenHash)
{
    shutWhere(
        [&](const Connection &c) {
            return c.caller && c.caller->id() == userId
                && (exceptTokenHash.isEmpty() || c.caller->tokenHash != exceptTokenHash);
        },
        QWebSocketProtocol::CloseCodeNormal, QStringLiteral("signed out"));
}

void WebSocketHub::closeToken(const QString &tokenHash)
{
    shutWhere([&](const Connection &c) { return c.caller && c.caller->tokenHash == tokenHash; },
              QWebSocketProtocol::CloseCodeNormal, QStringLiteral("signed out"));
}

void WebSocketHub::closeAll()
{
    shutWhere([](const Connection &) { return true; }, QWebSocketProtocol::CloseCodeGoingAway,
              QStringLiteral("server stopping"));
}

int WebSocketHub::authenticatedCount() const
{
    int n = 0;
    for (const auto &[socket, c] : m_connections)
        n += c.live() ? 1 : 0;
    return n;
}

} // namespace sb::server
