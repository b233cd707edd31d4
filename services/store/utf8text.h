#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QVariant>

namespace sb::store {

// UTF-8 text to bind as TEXT (a JSON document the writer made as bytes): on SQLite the bytes
// go in as they are, on PostgreSQL (QtSql) as a QString. Bound as a plain QByteArray it would
// be a BLOB; as QString::fromUtf8 it was decoded for SQLite to encode it again, twice per
// change-log row and stored answer.
struct Utf8Text
{
    QByteArray bytes;
};

inline QVariant utf8Text(QByteArray bytes)
{
    return QVariant::fromValue(Utf8Text {std::move(bytes)});
}

// What QtSql binds for `value`: a QString for Utf8Text, the value itself otherwise.
inline QVariant forQtSql(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<Utf8Text>())
        return QString::fromUtf8(static_cast<const Utf8Text *>(value.constData())->bytes);
    return value;
}

} // namespace sb::store
