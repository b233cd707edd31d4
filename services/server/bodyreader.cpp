#include "bodyreader.h"

#include "apierrors.h"

#include <domain/timeformat.h>

#include <QJsonArray>

#include <cmath>

namespace sb::server {

bool BodyReader::has(const char *key) const
{
    const QJsonValue v = m_body.value(QLatin1StringView(key));
    return !v.isUndefined() && !v.isNull();
}

QJsonValue BodyReader::take(const char *key, bool required)
{
    if (m_error)
        return QJsonValue(QJsonValue::Undefined);
    const QJsonValue v = m_body.value(QLatin1StringView(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            m_error = errors::missingField(QString::fromLatin1(key));
        return QJsonValue(QJsonValue::Undefined);
    }
    return v;
}

void BodyReader::invalid(const char *key, const QString &problem)
{
    if (!m_error)
        m_error = errors::invalidField(QString::fromLatin1(key), problem);
}

QString BodyReader::text(const char *key, int maxLength, bool required)
{
    const QJsonValue v = take(key, required);
    if (v.isUndefined())
        return {};
    if (!v.isString()) {
        invalid(key, QStringLiteral("must be a string"));
        return {};
    }
    const QString s = v.toString();
    if (required && s.trimmed().isEmpty()) {
        invalid(key, QStringLiteral("must not be empty"));
        return {};
    }
    if (s.size() > maxLength) {
        invalid(key, QStringLiteral("must have at most %1 characters").arg(maxLength));
        return {};
    }
    return s;
}

QString BodyReader::id(const char *key, bool required)
{
    const QJsonValue v = take(key, required);
    if (v.isUndefined())
        return {};
    if (!v.isString() || v.toString().isEmpty() || v.toString().size() > 100) {
        invalid(key, QStringLiteral("must be an id string"));
        return {};
    }
    return v.toString();
}

std::optional<bool> BodyReader::boolean(const char *key, bool required)
{
    const QJsonValue v = take(key, required);
    if (v.isUndefined())
        return std::nullopt;
    if (!v.isBool()) {
        invalid(key, QStringLiteral("must be true or false"));
        return std::nullopt;
    }
    return v.toBool();
}

std::optional<int> BodyReader::integer(const char *key, int min, int max, bool required)
{
    const QJsonValue v = take(key, required);
    if (v.isUndefined())
        return std::nullopt;
    const double d = v.toDouble();
    if (!v.isDouble() || std::floor(d) != d || d < min || d > max) {
        invalid(key, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
        return std::nullopt;
    }
    return int(d);
}

std::optional<QDateTime> BodyReader::time(const char *key, bool required)
{
    const QJsonValue v = take(key, required);
    if (v.isUndefined())
        return std::nullopt;
    const auto t = v.isString() ? parseIsoUtc(v.toString()) : std::nullopt;
    if (!t)
        invalid(key, QStringLiteral("must be an ISO-8601 time with a zone"));
    return t;
}

QStringList BodyReader::idList(const char *key, int maxItems)
{
    const QJsonValue v = take(key, false);
    if (v.isUndefined())
        return {};
    if (!v.isArray()) {
        invalid(key, QStringLiteral("must be an array of ids"));
        return {};
    }
    const QJsonArray array = v.toArray();
    if (array.size() > maxItems) {
        invalid(key, QStringLiteral("must have at most %1 items").arg(maxItems));
        return {};
    }
    QStringList out;
    for (const QJsonValue &item : array) {
        if (!item.isString() || item.toString().isEmpty()) {
            invalid(key, QStringLiteral("must be an array of ids"));
            return {};
        }
        if (!out.contains(item.toString()))
            out << item.toString();
    }
    return out;
}

} // namespace sb::server
