#pragma once

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QStringList>

namespace sb::server {

// CORS is closed unless origins are configured (SWITCHBOARD_CORS_ORIGINS): a browser page from
// any other origin gets no Access-Control-Allow-Origin and so cannot read the API.
class CorsPolicy
{
public:
    explicit CorsPolicy(QStringList origins)
        : m_origins(std::move(origins))
    { }

    bool allows(const QByteArray &origin) const;
    // Adds the allow headers to an answer for an allowed Origin.
    void apply(QHttpServerResponse &response, const QByteArray &origin) const;
    // Answers an OPTIONS preflight from an allowed origin; false when it is not one.
    bool answerPreflight(const QHttpServerRequest &request, QHttpServerResponder &responder) const;

private:
    QStringList m_origins;
};

} // namespace sb::server
