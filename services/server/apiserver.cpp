#include "apiserver.h"

#include "adminroutes.h"
#include "agentroutes.h"
#include "apirouter.h"
#include "attachmentroutes.h"
#include "authroutes.h"
#include "bookingroutes.h"
#include "bulkroutes.h"
#include "changelogpoller.h"
#include "conversationroutes.h"
#include "corspolicy.h"
#include "dashboardroutes.h"
#include "deliverysender.h"
#include "healthroutes.h"
#include "httpreply.h"
#include "jobroutes.h"
#include "nodelaytcpserver.h"
#include "notificationroutes.h"
#include "openapiroutes.h"
#include "pingroutes.h"
#include "scheduler.h"
#include "servercontext.h"
#include "serverjobs.h"
#include "serverlog.h"
#include "syncroutes.h"
#include "ticketroutes.h"
#include "userroutes.h"
#include "websockethub.h"

#include <QHttpServerRequest>
#include <QTcpServer>

namespace sb::server {

ApiServer::ApiServer(const ServerSettings &settings, std::shared_ptr<store::Database> db,
                     std::shared_ptr<Clock> clock, QObject *parent)
    : QObject(parent)
    , m_context(std::make_unique<ServerContext>(settings, std::move(db), std::move(clock), *this))
    , m_router(std::make_unique<ApiRouter>(m_context->settings, m_context->db, m_context->auth,
                                           m_context->metrics))
    , m_hub(std::make_unique<WebSocketHub>(*m_context))
    , m_deliveries(std::make_unique<DeliverySender>(*m_context))
{
    m_context->hub = m_hub.get();
    m_context->deliveries = m_deliveries.get();
    m_deliveries->start();
    m_scheduler = std::make_unique<Scheduler>(m_context->clock);
    addServerJobs(*m_scheduler, *m_context);
    m_context->onClockAdvanced = std::bind_front(&Scheduler::runDueBetween, m_scheduler.get());
    if (m_context->db.dialect() == store::Dialect::Postgres) // several instances may share it
        m_changeFeed
            = std::make_unique<ChangeLogPoller>(m_context->db, *m_hub, m_context->readCache);
    if (m_changeFeed) {
        m_context->changeFeed = m_changeFeed.get();
        m_changeFeed->start();
    }
    registerRoutes();
    m_scheduler->start();
}

ApiServer::~ApiServer()
{
    m_router->closeGroup(); // its commit publishes through the hub, which goes before the router
}

void ApiServer::publish(const Change &change)
{
    if (m_changeFeed) // in seq order with the other instances' changes
        return m_changeFeed->deliver(change);
    m_hub->publish(change);
}

void ApiServer::registerRoutes()
{
    registerHealthRoutes(*m_router, *m_context);
    registerPingRoutes(*m_router, *m_context);
    registerAuthRoutes(*m_router, *m_context);
    registerUserRoutes(*m_router, *m_context);
    registerAdminRoutes(*m_router, *m_context);
    registerTicketRoutes(*m_router, *m_context);
    registerJobRoutes(*m_router, *m_scheduler);
    registerSyncRoutes(*m_router, *m_context);
    registerConversationRoutes(*m_router, *m_context);
    registerAgentRoutes(*m_router, *m_context);
    registerDashboardRoutes(*m_router, *m_context);
    registerAttachmentRoutes(*m_router, *m_context);
    registerBulkRoutes(*m_router, *m_context);
    registerNotificationRoutes(*m_router, *m_context);
    registerBookingRoutes(*m_router, *m_context);
    registerOpenApiRoutes(*m_router);

    auto cors = std::make_shared<CorsPolicy>(m_context->settings.corsOrigins);
    m_router->setFinish([cors](QHttpServerResponse &response, const QByteArray &origin) {
        addStandardHeaders(response);
        cors->apply(response, origin);
    });
    m_router->install(m_http);
    m_hub->install(m_http);

    m_http.setMissingHandler(
        [cors, this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            m_router->closeGroup(); // the answers of earlier requests leave first
            if (cors->answerPreflight(request, responder))
                return;
            m_context->metrics.recordRequest(ApiRouter::methodName(request.method()),
                                             QStringLiteral("(unknown)"), 404, 0);
            responder.write(
                errorBody(Error::make(QStringLiteral("not_found"),
                                      QStringLiteral("There is nothing at this address."))),
                {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                 {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
                 {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")}},
                QHttpServerResponder::StatusCode::NotFound);
        });
    m_http.afterRequest([this](QHttpServerResponse &&response, const QHttpServerRequest &request) {
        m_router->finish(response, request.value("Origin"));
        return std::move(response);
    });
}

Result<quint16> ApiServer::listen(const QHostAddress &address, quint16 port)
{
    auto *tcp = new NoDelayTcpServer(this);
    const quint16 bound = tcp->listen(address, port) ? tcp->serverPort() : 0;
    if (bound != 0)
        m_http.bind(tcp); // QHttpServer serves its connections
    else
        delete tcp;
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
    m_router->closeGroup();
    m_scheduler->stop(); // a job running now has finished: it runs on this thread
    if (m_changeFeed)
        m_changeFeed->stop();
    m_deliveries->stop();
    m_hub->closeAll();
    const auto servers = m_http.servers();
    for (QTcpServer *server : servers)
        server->close();
}

} // namespace sb::server
