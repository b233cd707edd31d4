#pragma once

#include "testclient.h"
#include "testdatabase.h"

#include <domain/user.h>
#include <server/serverinstance.h>

#include <functional>
#include <memory>

namespace sb::test {

// A switchboard-server started for real in the test process: its store on the test backend
// (SQLite file or PostgreSQL database), a fake business clock, HTTP on an ephemeral loopback
// port. Tests talk to it only over HTTP and WebSockets, like the console does.
class TestServer
{
public:
    using Tweak = std::function<void(server::ServerSettings &)>;

    // Null (with the reason in *error) when the store or the port cannot be had.
    static std::unique_ptr<TestServer> start(QString *error = nullptr, const Tweak &tweak = {});
    ~TestServer();

    QString baseUrl() const { return m_instance->baseUrl(); }
    QString wsUrl() const; // ws://127.0.0.1:PORT/api/v1/ws
    server::ServerInstance &instance() { return *m_instance; }
    store::Database &database() { return m_instance->database(); }
    FakeClock &clock() { return *m_instance->fakeClock(); }
    TestStore &store() { return *m_store; }

    struct Account
    {
        User user;
        QString password;
        QString token;
    };
    // A user written straight into the store (any role), then signed in over HTTP.
    Account account(Role role, const QString &name = {});
    // A client already signed in as that account.
    std::unique_ptr<TestClient> client(const Account &account) const;
    std::unique_ptr<TestClient> anonymousClient() const;

private:
    TestServer() = default;

    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<server::ServerInstance> m_instance;
    int m_accounts = 0;
};

} // namespace sb::test
