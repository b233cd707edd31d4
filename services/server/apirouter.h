#pragma once

#include "access.h"
#include "apirequest.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

class QHttpServer;

namespace sb::store {
class Database;
}

namespace sb::server {

class Authenticator;
class CommitGroup;
class Metrics;
struct ServerSettings;

// Every route of the API goes through one pipeline, so that no handler can forget a step:
// authentication and the route's roles, body size (413), media type (415), JSON (400),
// Idempotency-Key replay on POST, the uniform error shape, metrics and the request log.
// Paths are written "/support/tickets/:id" under /api/v1.
class ApiRouter
{
public:
    using Handler = std::function<QHttpServerResponse(ApiRequest &)>;
    using Method = QHttpServerRequest::Method;

    enum class Body { Json, Raw };

    struct Route
    {
        Method method = Method::Get;
        QString path;
        Access access;
        Handler handler;
        Body body = Body::Json;
        qint64 maxBodyBytes = 0; // 0: the server's limit
        // Small writes that only use the store on this thread: requests of one event-loop turn
        // share a COMMIT (commitgroup.h). Never for a handler that waits for another thread.
        bool grouped = false;
    };

    ApiRouter(const ServerSettings &settings, store::Database &db, Authenticator &auth,
              Metrics &metrics);
    ~ApiRouter();

    void get(const QString &path, Access access, Handler handler);
    void post(const QString &path, Access access, Handler handler);
    void put(const QString &path, Access access, Handler handler);
    // A POST whose requests may share a COMMIT with others of the same turn (Route::grouped).
    void postGrouped(const QString &path, Access access, Handler handler);
    void add(Route route);

    // What every answer gets before it leaves (the standard headers, CORS): routes that answer
    // later than their request (grouped ones) cannot rely on QHttpServer::afterRequest.
    using Finish = std::function<void(QHttpServerResponse &, const QByteArray &origin)>;
    void setFinish(Finish finish) { m_finish = std::move(finish); }
    void finish(QHttpServerResponse &response, const QByteArray &origin) const;

    // Commits the open commit group and sends its answers: before an answer that does not
    // belong to it goes out (answers on one connection leave in the order of their requests).
    void closeGroup();

    // Registers every route with the HTTP server, literal paths before those with arguments
    // (so /bookings/pending-completion is never taken for /bookings/:id).
    void install(QHttpServer &http);

    QList<QPair<QString, QString>> routeList() const; // {method, "/api/v1/..."}
    static QString methodName(Method method);
    static constexpr auto kPrefix = "/api/v1";

private:
    QHttpServerResponse dispatch(const Route &route, const QHttpServerRequest &http,
                                 QStringList args);
    void dispatchGrouped(const Route &route, const QHttpServerRequest &http, QStringList args,
                         QHttpServerResponder &&responder);
    template<typename... Args>
    void installRoute(QHttpServer &http, const Route &route, const QString &pattern);
    QHttpServerResponse run(const Route &route, ApiRequest &request);
    QHttpServerResponse runIdempotent(const Route &route, ApiRequest &request, const QString &key);
    std::optional<Error> readBody(const Route &route, ApiRequest &request) const;

    const ServerSettings &m_settings;
    store::Database &m_db;
    Authenticator &m_auth;
    Metrics &m_metrics;
    QList<Route> m_routes;
    Finish m_finish;
    std::unique_ptr<CommitGroup> m_group;
};

// The answer of a failed operation: its status from apierrors.h, the uniform JSON shape, and
// Retry-After when the error carries details.retryAfterSeconds.
QHttpServerResponse failure(const Error &error);

} // namespace sb::server
