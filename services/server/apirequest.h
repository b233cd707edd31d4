#pragma once

#include "caller.h"

#include <domain/result.h>

#include <QHostAddress>
#include <QHttpServerRequest>
#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace sb::server {

// One request as a handler sees it: path arguments, the caller, the parsed JSON body and
// checked readers for query parameters and headers.
class ApiRequest
{
public:
    ApiRequest(const QHttpServerRequest &http, QStringList args);

    const QHttpServerRequest &http() const { return m_http; }
    const QString &arg(int index) const { return m_args.at(index); }

    bool signedIn() const { return m_caller.has_value(); }
    const Caller &caller() const { return *m_caller; }
    void setCaller(Caller caller) { m_caller = std::move(caller); }

    const QJsonObject &body() const { return m_body; }
    void setBody(QJsonObject body) { m_body = std::move(body); }
    QByteArray rawBody() const { return m_http.body(); }

    QByteArray header(const QByteArray &name) const;
    QHostAddress remoteAddress() const { return m_http.remoteAddress(); }

    bool hasQuery(const QString &name) const { return m_query.hasQueryItem(name); }
    QString query(const QString &name) const;
    // Every query item, decoded and sorted: one text for queries that ask the same thing.
    QString canonicalQuery() const;
    Result<int> queryInt(const QString &name, int fallback, int min, int max) const;
    // A list's page (DESIGN.md "REST conventions"): limit 1-100 (50), offset >= 0 (0).
    struct Page
    {
        int limit = 50;
        int offset = 0;
    };
    Result<Page> page() const;
    // An ISO-8601 time with a zone; absent answers an invalid QDateTime.
    Result<QDateTime> queryTime(const QString &name) const;
    // A comma-separated list whose items must be in `allowed`.
    Result<QStringList> queryList(const QString &name, const QStringList &allowed) const;

    // The version an If-Match header demands: "7", 7 or W/"7"; nullopt when absent.
    Result<std::optional<int>> ifMatch() const;

private:
    const QHttpServerRequest &m_http;
    QStringList m_args;
    std::optional<Caller> m_caller;
    QJsonObject m_body;
    QUrlQuery m_query;
};

} // namespace sb::server
