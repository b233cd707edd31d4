#pragma once

#include "apiserver.h"
#include "passwordhasher.h"
#include "serversettings.h"

#include <domain/clock.h>
#include <domain/result.h>
#include <store/database.h>

#include <QHostAddress>

#include <memory>

namespace sb::server {

// Everything one running server needs, started in order: the store (migrated), the clock,
// the first admin, the API on its port. The standalone program, the console's embedded mode
// and the integration tests all start a server through this one path.
class ServerInstance
{
public:
    static Result<std::unique_ptr<ServerInstance>> start(const ServerSettings &settings);
    ~ServerInstance();

    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_settings.listen; }
    QString baseUrl() const; // http://127.0.0.1:PORT
    store::Database &database() { return *m_db; }
    Clock &clock() { return *m_clock; }
    FakeClock *fakeClock() { return dynamic_cast<FakeClock *>(m_clock.get()); }
    ApiServer &api() { return *m_api; } // in-process tests reach the services through it

    // Stops accepting connections; the store closes when the instance is destroyed.
    void stop();

private:
    ServerInstance() = default;

    ServerSettings m_settings;
    std::shared_ptr<store::Database> m_db;
    std::shared_ptr<Clock> m_clock;
    std::unique_ptr<ApiServer> m_api;
    quint16 m_port = 0;
};

} // namespace sb::server
