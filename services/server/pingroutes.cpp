#include "pingroutes.h"

#include "apirouter.h"
#include "httpreply.h"

namespace sb::server {

void registerPingRoutes(ApiRouter &router, ServerContext &)
{
    router.get(QStringLiteral("/ping"), Access::everyone(), [](ApiRequest &) {
        static const QJsonObject pong {{QStringLiteral("pong"), true}};
        return jsonResponse(pong);
    });
}

} // namespace sb::server
