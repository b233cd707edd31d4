#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QLatin1StringView>
#include <QStringView>

#include <cstring>
#include <optional>

namespace sb {

// Appends compact JSON to a byte array, byte for byte what QJsonDocument::toJson(Compact) writes
// for the same values, without building a QJsonObject tree first (most of the cost of a large
// answer). The caller writes keys in the order QJsonObject would: sorted, as QString compares
// them. tst_jsonwriter compares every shape written this way with its QJsonObject codec.
class JsonWriter
{
public:
    explicit JsonWriter(qsizetype reserve = 1024) { m_out.resize(reserve); }

    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }

    // The key of the next value (or object, or array) of the current object: plain ASCII.
    JsonWriter &key(QLatin1StringView name);

    JsonWriter &string(QStringView text);
    JsonWriter &string(QLatin1StringView text); // enum wire names: no QString on the way
    JsonWriter &boolean(bool value);
    JsonWriter &integer(qint64 value);
    JsonWriter &null();
    // As jsoncodec's idOrNull and isoOrNull: null for an empty id or an invalid time.
    JsonWriter &idOrNull(QStringView id);
    JsonWriter &timeOrNull(const QDateTime &time);

    const QByteArray &bytes()
    {
        m_out.truncate(m_size);
        return m_out;
    }
    QByteArray take()
    {
        m_out.truncate(m_size);
        m_size = 0;
        return std::move(m_out);
    }

private:
    JsonWriter &open(char bracket);
    JsonWriter &close(char bracket);
    void beforeValue();
    template<typename Char>
    void escaped(const Char *src, const Char *end);
    // Room for `n` more bytes at the cursor; the next byte to write.
    char *room(qsizetype n)
    {
        if (m_out.size() - m_size < n)
            grow(n);
        return m_out.data() + m_size;
    }
    void grow(qsizetype n);
    void put(char c)
    {
        *room(1) = c;
        ++m_size;
    }
    void put(const char *text, qsizetype n)
    {
        std::memcpy(room(n), text, size_t(n));
        m_size += n;
    }

    // Written through a cursor into room made ahead (m_out's size is the room, m_size what is
    // written): QByteArray's append, an out-of-line call a piece, was a third of the cost.
    QByteArray m_out;
    qsizetype m_size = 0;
    bool m_needsComma = false; // a value precedes in the current container
    bool m_afterKey = false; // the key of the next value is written
};

// An optional sub-object: the fields that fields(value) writes, or null when absent
// (jsoncodec's toJsonOrNull).
template<typename T, typename Fields>
void writeOrNull(JsonWriter &out, const std::optional<T> &value, Fields fields)
{
    if (!value) {
        out.null();
        return;
    }
    out.beginObject();
    fields(*value);
    out.endObject();
}

} // namespace sb
