#pragma once

#include "enumcodec.h"
#include "error.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace sb {

// Reads the fields of one JSON object into a value, checking the type of every key it is asked
// for. The first wrong field stops the reading and becomes an "invalid_field" Error whose
// details.field is the field's path ("messages[2].createdAt"), so a 400 can name it.
// A missing key leaves the field at its default (a peer one version apart still parses); a key
// that is present must have the right type, and null only where the wire allows null.
class JsonReader
{
public:
    explicit JsonReader(const QJsonObject &object);
    JsonReader(const JsonReader &) = delete;
    JsonReader &operator=(const JsonReader &) = delete;

    bool ok() const { return !m_error->has_value(); }
    const Error &error() const { return **m_error; } // only when !ok()

    void text(const char *key, QString &out);
    void reference(const char *key, QString &out); // an id string, or null for none
    void timestamp(const char *key, QDateTime &out); // ISO-8601 with a zone, or null
    void boolean(const char *key, bool &out);
    void optionalBoolean(const char *key, std::optional<bool> &out); // or null
    void integer(const char *key, int &out);
    void integer(const char *key, qint64 &out);
    void object(const char *key, QJsonObject &out);

    template<typename E>
    void enumeration(const char *key, E &out);
    template<typename E>
    void optionalEnumeration(const char *key, std::optional<E> &out); // or null

    // Sub-documents, read by read(JsonReader &, T &) with paths prefixed by the key.
    template<typename T, typename Read>
    void child(const char *key, T &out, Read read);
    template<typename T, typename Read>
    void optionalChild(const char *key, std::optional<T> &out, Read read); // or null
    template<typename T, typename Read>
    void list(const char *key, QList<T> &out, Read read);

    // Records a failure of a check the reader cannot know (a range, a pattern); first one wins.
    void fail(const char *key, const QString &problem);

private:
    JsonReader(const QJsonObject &object, QString path, std::optional<Error> *error);

    QString pathOf(const char *key) const;
    void failPath(const QString &path, const QString &problem);
    void failEnum(const char *key, const QStringList &allowed);
    // The value to read: nullopt when the key is absent or an earlier field already failed.
    std::optional<QJsonValue> take(const char *key) const;
    std::optional<double> wholeNumber(const char *key, double min, double max);

    QJsonObject m_object;
    QString m_path; // of this object, empty at the root
    std::optional<Error> m_ownError;
    std::optional<Error> *m_error; // the root's, shared by every nested reader
};

template<typename E>
void JsonReader::enumeration(const char *key, E &out)
{
    const auto value = take(key);
    if (!value)
        return;
    const auto parsed = value->isString() ? parseEnum<E>(value->toString()) : std::nullopt;
    if (parsed)
        out = *parsed;
    else
        failEnum(key, enumStrings<E>());
}

template<typename E>
void JsonReader::optionalEnumeration(const char *key, std::optional<E> &out)
{
    const auto value = take(key);
    if (!value)
        return;
    if (value->isNull()) {
        out.reset();
        return;
    }
    E parsed {};
    enumeration(key, parsed);
    if (ok())
        out = parsed;
}

template<typename T, typename Read>
void JsonReader::child(const char *key, T &out, Read read)
{
    const auto value = take(key);
    if (!value)
        return;
    if (!value->isObject())
        return fail(key, QStringLiteral("must be an object"));
    JsonReader nested(value->toObject(), pathOf(key), m_error);
    T parsed {};
    read(nested, parsed);
    if (ok())
        out = std::move(parsed);
}

template<typename T, typename Read>
void JsonReader::optionalChild(const char *key, std::optional<T> &out, Read read)
{
    const auto value = take(key);
    if (!value)
        return;
    if (value->isNull()) {
        out.reset();
        return;
    }
    T parsed {};
    child(key, parsed, read);
    if (ok())
        out = std::move(parsed);
}

template<typename T, typename Read>
void JsonReader::list(const char *key, QList<T> &out, Read read)
{
    const auto value = take(key);
    if (!value)
        return;
    if (!value->isArray())
        return fail(key, QStringLiteral("must be an array"));
    const QJsonArray array = value->toArray();
    QList<T> items;
    items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = pathOf(key) + u'[' + QString::number(i) + u']';
        if (!array.at(i).isObject())
            return failPath(path, QStringLiteral("must be an object"));
        JsonReader nested(array.at(i).toObject(), path, m_error);
        T item {};
        read(nested, item);
        if (!ok())
            return;
        items.append(std::move(item));
    }
    out = std::move(items);
}

} // namespace sb
