#pragma once

#include "serversettings.h"

#include <domain/clock.h>
#include <domain/result.h>
#include <store/database.h>

#include <QHttpServer>
#include <QObject>

#include <memory>

namespace sb::server {

// The switchboard-server component: the REST API and WebSocket hub over one store. The
// standalone server and the console's embedded mode both start this same class.
class ApiServer : public QObject
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

private:
    void registerRoutes();

    ServerSettings m_settings;
    std::shared_ptr<store::Database> m_db;
    std::shared_ptr<Clock> m_clock;
    QHttpServer m_http;
};

} // namespace sb::server
