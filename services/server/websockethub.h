#pragma once

#include "caller.h"

#include <domain/change.h>

#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>
#include <unordered_map>

class QHttpServer;
class QWebSocket;
class QTimer;

namespace sb::server {

struct ServerContext;

// WebSockets at /api/v1/ws (DESIGN.md "Real-time"). The first frame must be
// {"type":"auth","token":...}; after it, a socket receives without subscribing the events of
// everything its user may see, each with its change-log seq. Internal notes and other
// customers' data never reach a customer's socket.
class WebSocketHub : public QObject
{
    Q_OBJECT

public:
    explicit WebSocketHub(ServerContext &context, QObject *parent = nullptr);
    ~WebSocketHub() override;

    // Registers the upgrade route and takes the sockets the HTTP server hands over.
    void install(QHttpServer &http);

    void publish(const Change &change);

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
    };

    void accept(std::unique_ptr<QWebSocket> socket);
    void onText(QWebSocket *socket, const QString &text);
    void authenticate(Connection &connection, const QJsonObject &frame);
    void refuse(Connection &connection, const QString &code);
    void drop(QWebSocket *socket);
    void send(Connection &connection, const QJsonObject &frame);

    ServerContext &m_context;
    QHttpServer *m_http = nullptr;
    std::unordered_map<QWebSocket *, Connection> m_connections;
};

} // namespace sb::server
