#pragma once

#include <domain/enumcodec.h>
#include <domain/error.h>

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace sb::server {

// Reads and checks the fields of a request body. The first problem wins and becomes a 400 that
// names the field: missing_field for an absent required one, invalid_field for a wrong type, an
// empty or over-long text, a number out of range or a value outside its enum. Unknown fields
// are ignored (DESIGN.md "REST conventions").
class BodyReader
{
public:
    explicit BodyReader(const QJsonObject &body)
        : m_body(body)
    { }

    bool ok() const { return !m_error.has_value(); }
    const Error &error() const { return *m_error; }
    bool has(const char *key) const;

    QString text(const char *key, int maxLength, bool required = true);
    QString id(const char *key, bool required = true); // a non-empty string id, or null/absent
    std::optional<bool> boolean(const char *key, bool required = true);
    std::optional<int> integer(const char *key, int min, int max, bool required = true);
    std::optional<QDateTime> time(const char *key, bool required = true);
    QStringList idList(const char *key, int maxItems); // optional; [] when absent

    template<typename E>
    std::optional<E> enumeration(const char *key, bool required = true)
    {
        const QJsonValue v = take(key, required);
        if (v.isUndefined())
            return std::nullopt;
        const auto parsed = v.isString() ? parseEnum<E>(v.toString()) : std::nullopt;
        if (!parsed)
            invalid(key, QStringLiteral("must be one of: %1").arg(enumStrings<E>().join(u", ")));
        return parsed;
    }

    void invalid(const char *key, const QString &problem);

private:
    // The value, or undefined when absent (recording missing_field if required) or after an
    // earlier failure. null counts as absent.
    QJsonValue take(const char *key, bool required);

    QJsonObject m_body;
    std::optional<Error> m_error;
};

} // namespace sb::server
