#pragma once

#include "eventpublisher.h"
#include "serversettings.h"

#include <domain/clock.h>
#include <domain/result.h>
#include <store/database.h>

#include <QHttpServer>
#include <QObject>

#include <memory>

namespace sb::server {

class ApiRouter;
class ChangeLogPoller;
class DeliverySender;
class Scheduler;
class WebSocketHub;
struct ServerContext;

// The switchboard-server component: the REST API and WebSocket hub over one store. The
// standalone server and the console's embedded mode both start this same class.
class ApiServer : public QObject, public EventPublisher
{
    Q_OBJECT

public:
    ApiServer(const ServerSettings &settings, std::shared_ptr<store::Database> db,
              std::shared_ptr<Clock> clock, QObject *parent = nullptr);
    ~ApiServer() override;

    // Starts accepting connections; answers the port (the chosen one when asked for 0).
    Result<quint16> listen(const QHostAddress &address, quint16 port);
    // Stops accepting connections. Requests already read are answered first: handlers run on
    // this thread, so none is half-way through when this runs.
    void close();

    ServerContext &context() { return *m_context; }
    const ApiRouter &router() const { return *m_router; }

    // EventPublisher: committed changes go to the WebSocket hub.
    void publish(const Change &change) override;

private:
    void registerRoutes();

    std::unique_ptr<ServerContext> m_context;
    std::unique_ptr<ApiRouter> m_router;
    std::unique_ptr<WebSocketHub> m_hub;
    std::unique_ptr<Scheduler> m_scheduler; // the jobs, on this thread
    std::unique_ptr<ChangeLogPoller> m_changeFeed; // PostgreSQL: other instances' changes
    std::unique_ptr<DeliverySender> m_deliveries;
    QHttpServer m_http;
};

} // namespace sb::server
