#include "openapiroutes.h"

#include "apirouter.h"

#include <QFile>

namespace sb::server {

void registerOpenApiRoutes(ApiRouter &router)
{
    router.get(QStringLiteral("/openapi.json"), Access::everyone(), [](ApiRequest &) {
        static const QByteArray document = [] {
            QFile file(QStringLiteral(":/switchboard/openapi.json"));
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        return QHttpServerResponse(QByteArrayLiteral("application/json"), document);
    });
}

} // namespace sb::server
