#include "apirequest.h"

#include "apierrors.h"

#include <domain/timeformat.h>

#include <algorithm>

namespace sb::server {

ApiRequest::ApiRequest(const QHttpServerRequest &http, QStringList args)
    : m_http(http)
    , m_args(std::move(args))
    , m_query(http.query())
{ }

QByteArray ApiRequest::header(const QByteArray &name) const
{
    return m_http.value(name);
}

QString ApiRequest::query(const QString &name) const
{
    return m_query.queryItemValue(name, QUrl::FullyDecoded);
}

QString ApiRequest::canonicalQuery() const
{
    auto items = m_query.queryItems(QUrl::FullyDecoded);
    std::sort(items.begin(), items.end());
    QUrlQuery sorted;
    sorted.setQueryItems(items); // encoded again: no two different queries read the same
    return sorted.query(QUrl::FullyEncoded);
}

Result<ApiRequest::Page> ApiRequest::page() const
{
    constexpr int kMaxOffset = 1000000000;
    const auto limit = queryInt(QStringLiteral("limit"), 50, 1, 100);
    if (!limit)
        return limit.error();
    const auto offset = queryInt(QStringLiteral("offset"), 0, 0, kMaxOffset);
    if (!offset)
        return offset.error();
    return Page {*limit, *offset};
}

Result<int> ApiRequest::queryInt(const QString &name, int fallback, int min, int max) const
{
    if (!hasQuery(name))
        return fallback;
    bool ok = false;
    const int value = query(name).toInt(&ok);
    if (!ok || value < min || value > max) {
        return errors::invalidField(
            name, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
    }
    return value;
}

Result<QDateTime> ApiRequest::queryTime(const QString &name) const
{
    if (!hasQuery(name))
        return QDateTime();
    const auto t = parseIsoUtc(query(name));
    if (!t) {
        return errors::invalidField(name,
                                    QStringLiteral("must be an ISO-8601 time with a zone, "
                                                   "like 2026-01-31T09:00:00Z"));
    }
    return *t;
}

Result<QStringList> ApiRequest::queryList(const QString &name, const QStringList &allowed) const
{
    if (!hasQuery(name))
        return QStringList();
    const QStringList values = query(name).split(u',', Qt::SkipEmptyParts);
    for (const QString &v : values) {
        if (!allowed.contains(v)) {
            return errors::invalidField(
                name, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
        }
    }
    if (values.isEmpty())
        return errors::invalidField(name, QStringLiteral("must not be empty"));
    return values;
}

Result<std::optional<int>> ApiRequest::ifMatch() const
{
    QByteArray value = header("If-Match").trimmed();
    if (value.isEmpty())
        return std::optional<int>();
    if (value.startsWith("W/"))
        value = value.mid(2);
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
        value = value.mid(1, value.size() - 2);
    bool ok = false;
    const int version = value.toInt(&ok);
    if (!ok || version < 1)
        return errors::invalidField(QStringLiteral("If-Match"),
                                    QStringLiteral("must carry a version like \"7\""));
    return std::optional<int>(version);
}

} // namespace sb::server
