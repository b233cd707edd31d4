#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace sb {

// Each domain enum specialises EnumTraits with a table of {value, wire string}. The codecs below
// are the only way enums cross a boundary (JSON, SQL, UI), and they refuse unknown strings.
template<typename E>
struct EnumTraits;

// The wire string of a value, as a view of the enum's table: no QString on the way (JSON
// writers). Empty for a value the table lacks.
template<typename E>
QLatin1StringView wireName(E value)
{
    for (const auto &[v, name] : EnumTraits<E>::table) {
        if (v == value)
            return QLatin1StringView(name);
    }
    return {};
}

template<typename E>
QString toString(E value)
{
    return wireName(value).toString();
}

template<typename E>
std::optional<E> parseEnum(QStringView text)
{
    for (const auto &[v, name] : EnumTraits<E>::table) {
        if (text == QLatin1StringView(name))
            return v;
    }
    return std::nullopt;
}

template<typename E>
QStringList enumStrings()
{
    QStringList out;
    for (const auto &entry : EnumTraits<E>::table)
        out << QString::fromLatin1(entry.second);
    return out;
}

} // namespace sb
