#include "jsonwriter.h"

#include "timeformat.h"

namespace sb {

namespace {

char hexDigit(uint v)
{
    return char(v < 10 ? '0' + v : 'a' + v - 10);
}

bool isHighSurrogate(char16_t u)
{
    return u >= 0xd800 && u < 0xdc00;
}

bool isLowSurrogate(char16_t u)
{
    return u >= 0xdc00 && u < 0xe000;
}

} // namespace

void JsonWriter::beforeValue()
{
    if (!m_afterKey && m_needsComma)
        m_out += ',';
    m_afterKey = false;
    m_needsComma = true;
}

JsonWriter &JsonWriter::open(char bracket)
{
    beforeValue();
    m_out += bracket;
    m_needsComma = false;
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out += bracket;
    m_needsComma = true;
    return *this;
}

JsonWriter &JsonWriter::key(QLatin1StringView name)
{
    if (m_needsComma)
        m_out += ',';
    m_out += '"';
    m_out.append(name.data(), name.size());
    m_out += "\":";
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::string(QStringView text)
{
    beforeValue();
    m_out += '"';
    escaped(text.utf16(), text.utf16() + text.size());
    m_out += '"';
    return *this;
}

JsonWriter &JsonWriter::string(QLatin1StringView text)
{
    beforeValue();
    m_out += '"';
    const auto *bytes = reinterpret_cast<const uchar *>(text.data());
    escaped(bytes, bytes + text.size());
    m_out += '"';
    return *this;
}

JsonWriter &JsonWriter::boolean(bool value)
{
    beforeValue();
    m_out += value ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::integer(qint64 value)
{
    beforeValue();
    m_out += QByteArray::number(value);
    return *this;
}

JsonWriter &JsonWriter::null()
{
    beforeValue();
    m_out += "null";
    return *this;
}

JsonWriter &JsonWriter::idOrNull(QStringView id)
{
    return id.isEmpty() ? null() : string(id);
}

JsonWriter &JsonWriter::timeOrNull(const QDateTime &time)
{
    if (!time.isValid())
        return null();
    char buffer[kIsoUtcLength];
    if (!formatIsoUtc(time.toMSecsSinceEpoch(), buffer))
        return string(toIsoUtc(time));
    beforeValue();
    m_out += '"';
    m_out.append(buffer, kIsoUtcLength);
    m_out += '"';
    return *this;
}

// Qt's rules (qjsonwriter.cpp): '"', '\\' and control characters escaped (the short forms where
// JSON has them, else \u00XX), everything else UTF-8, and a lone surrogate, which has no UTF-8,
// as \uXXXX in lower-case hex.
template<typename Char>
void JsonWriter::escaped(const Char *src, const Char *end)
{
    while (src != end) {
        const char16_t u = *src++;
        if (u < 0x80) {
            if (u >= 0x20 && u != '"' && u != '\\') {
                m_out += char(u);
                continue;
            }
            m_out += '\\';
            switch (u) {
            case '"':
                m_out += '"';
                break;
            case '\\':
                m_out += '\\';
                break;
            case '\b':
                m_out += 'b';
                break;
            case '\f':
                m_out += 'f';
                break;
            case '\n':
                m_out += 'n';
                break;
            case '\r':
                m_out += 'r';
                break;
            case '\t':
                m_out += 't';
                break;
            default:
                m_out += "u00";
                m_out += hexDigit(u >> 4);
                m_out += hexDigit(u & 0xf);
            }
        } else if (u < 0x800) {
            m_out += char(0xc0 | (u >> 6));
            m_out += char(0x80 | (u & 0x3f));
        } else if (isHighSurrogate(u) && src != end && isLowSurrogate(*src)) {
            const char32_t c = 0x10000 + ((char32_t(u) - 0xd800) << 10) + (*src++ - 0xdc00);
            m_out += char(0xf0 | (c >> 18));
            m_out += char(0x80 | ((c >> 12) & 0x3f));
            m_out += char(0x80 | ((c >> 6) & 0x3f));
            m_out += char(0x80 | (c & 0x3f));
        } else if (isHighSurrogate(u) || isLowSurrogate(u)) {
            m_out += "\\u";
            m_out += hexDigit(u >> 12);
            m_out += hexDigit((u >> 8) & 0xf);
            m_out += hexDigit((u >> 4) & 0xf);
            m_out += hexDigit(u & 0xf);
        } else {
            m_out += char(0xe0 | (u >> 12));
            m_out += char(0x80 | ((u >> 6) & 0x3f));
            m_out += char(0x80 | (u & 0x3f));
        }
    }
}

} // namespace sb
