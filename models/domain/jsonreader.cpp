#include "jsonreader.h"

#include "timeformat.h"

#include <cmath>
#include <limits>

namespace sb {

JsonReader::JsonReader(const QJsonObject &object)
    : m_object(object)
    , m_error(&m_ownError)
{ }

JsonReader::JsonReader(const QJsonObject &object, QString path, std::optional<Error> *error)
    : m_object(object)
    , m_path(std::move(path))
    , m_error(error)
{ }

QString JsonReader::pathOf(const char *key) const
{
    const QString name = QString::fromLatin1(key);
    return m_path.isEmpty() ? name : m_path + u'.' + name;
}

void JsonReader::failPath(const QString &path, const QString &problem)
{
    if (!ok())
        return;
    *m_error = Error::make(QStringLiteral("invalid_field"),
                           QStringLiteral("Field '%1' %2.").arg(path, problem),
                           QJsonObject {{QStringLiteral("field"), path}});
}

void JsonReader::fail(const char *key, const QString &problem)
{
    failPath(pathOf(key), problem);
}

void JsonReader::failEnum(const char *key, const QStringList &allowed)
{
    fail(key, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
}

std::optional<QJsonValue> JsonReader::take(const char *key) const
{
    if (!ok())
        return std::nullopt;
    const QJsonValue value = m_object.value(QLatin1StringView(key));
    if (value.isUndefined())
        return std::nullopt;
    return value;
}

void JsonReader::text(const char *key, QString &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (!value->isString())
        return fail(key, QStringLiteral("must be a string"));
    out = value->toString();
}

void JsonReader::reference(const char *key, QString &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (value->isNull())
        out.clear();
    else if (value->isString())
        out = value->toString();
    else
        fail(key, QStringLiteral("must be an id string or null"));
}

void JsonReader::timestamp(const char *key, QDateTime &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (value->isNull()) {
        out = QDateTime();
        return;
    }
    const auto parsed = value->isString() ? parseIsoUtc(value->toString()) : std::nullopt;
    if (parsed)
        out = *parsed;
    else
        fail(key, QStringLiteral("must be an ISO-8601 date-time with a zone, or null"));
}

void JsonReader::boolean(const char *key, bool &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (!value->isBool())
        return fail(key, QStringLiteral("must be true or false"));
    out = value->toBool();
}

void JsonReader::optionalBoolean(const char *key, std::optional<bool> &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (value->isNull())
        out.reset();
    else if (value->isBool())
        out = value->toBool();
    else
        fail(key, QStringLiteral("must be true, false or null"));
}

std::optional<double> JsonReader::wholeNumber(const char *key, double min, double max)
{
    const auto value = take(key);
    if (!value)
        return std::nullopt;
    const double number = value->isDouble() ? value->toDouble() : std::nan("");
    if (!std::isfinite(number) || std::trunc(number) != number || number < min || number > max) {
        fail(key, QStringLiteral("must be a whole number"));
        return std::nullopt;
    }
    return number;
}

void JsonReader::integer(const char *key, int &out)
{
    if (const auto number
        = wholeNumber(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()))
        out = static_cast<int>(*number);
}

void JsonReader::integer(const char *key, qint64 &out)
{
    // Doubles hold integers exactly up to 2^53, which is as far as JSON numbers are portable.
    constexpr double exact = 9007199254740992.0;
    if (const auto number = wholeNumber(key, -exact, exact))
        out = static_cast<qint64>(*number);
}

void JsonReader::object(const char *key, QJsonObject &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (!value->isObject())
        return fail(key, QStringLiteral("must be an object"));
    out = value->toObject();
}

} // namespace sb
