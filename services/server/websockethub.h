#pragma once

#include "caller.h"
#include "presence.h"

#include <domain/change.h>

#include <QObject>
#include <QSet>
#include <QWebSocketProtocol>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

class QHttpServer;
class QWebSocket;
class QTimer;

namespace sb::server {

struct ServerContext;

// WebSockets at /api/v1/ws (DESIGN.md "Real-time"). The first frame must be
// {"type":"auth","token":...}; after it, a socket receives without subscribing the events of
// everything its user may see, each with its change-log seq. Internal notes and other
// customers' data never reach a customer's socket. Presence (viewing, typing) goes to agents for
// tickets and to a conversation's subscribers for conversations; it is not in the change log.
class WebSocketHub : public QObject
{
    Q_OBJECT

public:
    explicit WebSocketHub(ServerContext &context, QObject *parent = nullptr);
    ~WebSocketHub() override;

    // Registers the upgrade route and takes the sockets the HTTP server hands over.
    void install(QHttpServer &http);

    // A committed change, from ChangeRecorder (or later a change-log poller): sent to every
    // socket whose user may see it. A seq at or below the last one published is ignored, so
    // two feeds of the same log deliver each change once. Safe to call from any thread.
    void publish(const Change &change);
    qint64 lastPublishedSeq() const { return m_lastSeq; }

    // Revocation (logout, password change, deactivation) closes the user's sockets.
    // Every socket of the user except those signed in with exceptTokenHash.
    void closeUser(const QString &userId, const QString &exceptTokenHash = {});
    void closeToken(const QString &tokenHash);
    void closeAll();

    int connectionCount() const { return int(m_connections.size()); }
    int authenticatedCount() const;

private:
    struct Connection
    {
        std::unique_ptr<QWebSocket> socket;
        std::optional<Caller> caller;
        QSet<QString> subscriptions; // conversation ids
        QTimer *authDeadline = nullptr;
        bool closing = false; // closed by the server, waiting for the peer

        bool live() const { return caller && !closing; }
    };

    void accept(std::unique_ptr<QWebSocket> socket);
    void onText(QWebSocket *socket, const QString &text);
    void handle(Connection &c, const QString &type, const QJsonObject &frame);
    void authenticate(Connection &c, const QJsonObject &frame);
    void subscribe(Connection &c, const QString &conversationId);
    void unsubscribe(Connection &c, const QString &conversationId);
    void presenceFrame(Connection &c, const QString &type, const QJsonObject &frame);
    void presenceChanged(const Presence::Room &room, Connection *self, bool changed);
    void broadcast(const Presence::Room &room);

    void sendError(Connection &c, const QString &code, const QString &message,
                   const QString &field = {});
    void refuse(Connection &c, const QString &code);
    // Closes from the server side: presence ends now, the socket is aborted if the peer does not
    // finish the closing handshake soon.
    void shut(QWebSocket *socket, QWebSocketProtocol::CloseCode code, const QString &reason);
    void shutWhere(const std::function<bool(const Connection &)> &which,
                   QWebSocketProtocol::CloseCode code, const QString &reason);
    void leavePresence(Connection &c);
    void drop(QWebSocket *socket);
    void send(Connection &c, const QJsonObject &frame);

    ServerContext &m_context;
    QHttpServer *m_http = nullptr;
    Presence m_presence;
    qint64 m_lastSeq = 0;
    std::unordered_map<QWebSocket *, Connection> m_connections;
};

} // namespace sb::server
