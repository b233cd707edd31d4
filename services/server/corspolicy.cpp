#include "corspolicy.h"

namespace sb::server {

bool CorsPolicy::allows(const QByteArray &origin) const
{
    return !origin.isEmpty() && m_origins.contains(QString::fromLatin1(origin));
}

void CorsPolicy::apply(QHttpServerResponse &response, const QByteArray &origin) const
{
    if (!allows(origin))
        return;
    response.setHeader(QByteArrayLiteral("Access-Control-Allow-Origin"), origin);
    response.setHeader(QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin"));
    response.setHeader(QByteArrayLiteral("Access-Control-Expose-Headers"),
                       QByteArrayLiteral("ETag, Retry-After, Idempotent-Replayed"));
}

bool CorsPolicy::answerPreflight(const QHttpServerRequest &request,
                                 QHttpServerResponder &responder) const
{
    const QByteArray origin = request.value("Origin");
    if (request.method() != QHttpServerRequest::Method::Options || !allows(origin))
        return false;
    responder.write({{QByteArrayLiteral("Access-Control-Allow-Origin"), origin},
                     {QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")},
                     {QByteArrayLiteral("Access-Control-Allow-Methods"),
                      QByteArrayLiteral("GET, POST, PUT, OPTIONS")},
                     {QByteArrayLiteral("Access-Control-Allow-Headers"),
                      QByteArrayLiteral("Authorization, Content-Type, Idempotency-Key, If-Match, "
                                        "X-File-Name")},
                     {QByteArrayLiteral("Access-Control-Max-Age"), QByteArrayLiteral("600")},
                     {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")}},
                    QHttpServerResponder::StatusCode::NoContent);
    return true;
}

} // namespace sb::server
