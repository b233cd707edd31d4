#include "apiserver.h"

#include "healthroutes.h"
#include "httpreply.h"
#include "serverlog.h"

#include <QHttpServerRequest>
#include <QTcpServer>

namespace sb::server {

ApiServer::ApiServer(const ServerSettings &settings, std::shared_ptr<store::Database> db,
                     std::shared_ptr<Clock> clock, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_db(std::move(db))
    , m_clock(std::move(clock))
{
    registerRoutes();
}

ApiServer::~ApiServer() = default;

void ApiServer::registerRoutes()
{
    registerHealthRoutes(m_http, *m_db, *m_clock);

    m_http.setMissingHandler(
        [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            qCDebug(lcHttp).noquote() << "no route for" << request.url().path();
            responder.write(
                errorBody(Error::make(QStringLiteral("not_found"),
                                      QStringLiteral("There is nothing at this address."))),
                {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                 {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
                 {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")}},
                QHttpServerResponder::StatusCode::NotFound);
        });
    m_http.afterRequest([](QHttpServerResponse &&response) {
        addStandardHeaders(response);
        return std::move(response);
    });
}

Result<quint16> ApiServer::listen(const QHostAddress &address, quint16 port)
{
    const quint16 bound = m_http.listen(address, port);
    if (bound == 0) {
        return Error::make(QStringLiteral("listen_failed"),
                           QStringLiteral("Cannot listen on %1:%2 (in use, or not allowed).")
                               .arg(address.toString())
                               .arg(port));
    }
    return bound;
}

void ApiServer::close()
{
    const auto servers = m_http.servers();
    for (QTcpServer *server : servers)
        server->close();
}

} // namespace sb::server
