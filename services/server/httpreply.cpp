#include "httpreply.h"

#include <QJsonDocument>

namespace sb::server {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");

} // namespace

QHttpServerResponse jsonResponse(const QJsonObject &body, StatusCode status)
{
    return QHttpServerResponse(kJson, QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse jsonResponse(const QJsonArray &body, StatusCode status)
{
    return QHttpServerResponse(kJson, QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

QHttpServerResponse jsonBytesResponse(QByteArray body, StatusCode status)
{
    return QHttpServerResponse(kJson, std::move(body), status);
}

QByteArray errorBody(const Error &error)
{
    QJsonObject inner {{QStringLiteral("code"), error.code},
                       {QStringLiteral("message"), error.message}};
    if (!error.details.isEmpty())
        inner.insert(QStringLiteral("details"), error.details);
    return QJsonDocument(QJsonObject {{QStringLiteral("error"), inner}})
        .toJson(QJsonDocument::Compact);
}

QHttpServerResponse errorResponse(StatusCode status, const Error &error)
{
    return QHttpServerResponse(kJson, errorBody(error), status);
}

QHttpServerResponse errorResponse(StatusCode status, const QString &code, const QString &message,
                                  const QJsonObject &details)
{
    return errorResponse(status, Error::make(code, message, details));
}

void addStandardHeaders(QHttpServerResponse &response)
{
    response.setHeader(QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}

} // namespace sb::server
