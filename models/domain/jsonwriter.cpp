#include "jsonwriter.h"

#include "timeformat.h"

#include <algorithm>
#include <charconv>

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

void JsonWriter::grow(qsizetype n)
{
    m_out.resize(std::max(m_size + n, 2 * m_out.size() + 64));
}

void JsonWriter::beforeValue()
{
    if (!m_afterKey && m_needsComma)
        put(',');
    m_afterKey = false;
    m_needsComma = true;
}

JsonWriter &JsonWriter::open(char bracket)
{
    beforeValue();
    put(bracket);
    m_needsComma = false;
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    put(bracket);
    m_needsComma = true;
    return *this;
}

JsonWriter &JsonWriter::key(QLatin1StringView name)
{
    char *const first = room(name.size() + 4);
    char *o = first;
    if (m_needsComma)
        *o++ = ',';
    *o++ = '"';
    std::memcpy(o, name.data(), size_t(name.size()));
    o += name.size();
    *o++ = '"';
    *o++ = ':';
    m_size += o - first;
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::string(QStringView text)
{
    beforeValue();
    put('"');
    escaped(text.utf16(), text.utf16() + text.size());
    put('"');
    return *this;
}

JsonWriter &JsonWriter::string(QLatin1StringView text)
{
    beforeValue();
    put('"');
    const auto *bytes = reinterpret_cast<const uchar *>(text.data());
    escaped(bytes, bytes + text.size());
    put('"');
    return *this;
}

JsonWriter &JsonWriter::boolean(bool value)
{
    beforeValue();
    if (value)
        put("true", 4);
    else
        put("false", 5);
    return *this;
}

JsonWriter &JsonWriter::integer(qint64 value)
{
    beforeValue();
    char *const first = room(20);
    m_size += std::to_chars(first, first + 20, value).ptr - first;
    return *this;
}

JsonWriter &JsonWriter::null()
{
    beforeValue();
    put("null", 4);
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
    put('"');
    put(buffer, kIsoUtcLength);
    put('"');
    return *this;
}

// Qt's rules (qjsonwriter.cpp): '"', '\\' and control characters escaped (the short forms where
// JSON has them, else \u00XX), everything else UTF-8, and a lone surrogate, which has no UTF-8,
// as \uXXXX in lower-case hex.
template<typename Char>
void JsonWriter::escaped(const Char *src, const Char *end)
{
    // Written through a pointer into room for the worst case (6 bytes a UTF-16 unit), then cut
    // back: appending byte by byte was the largest single cost of a ticket's answer.
    char *const first = room(6 * (end - src));
    char *o = first;
    while (src != end) {
        const char16_t u = *src++;
        if (u < 0x80) {
            if (u >= 0x20 && u != '"' && u != '\\') {
                *o++ = char(u);
                continue;
            }
            *o++ = '\\';
            switch (u) {
            case '"':
                *o++ = '"';
                break;
            case '\\':
                *o++ = '\\';
                break;
            case '\b':
                *o++ = 'b';
                break;
            case '\f':
                *o++ = 'f';
                break;
            case '\n':
                *o++ = 'n';
                break;
            case '\r':
                *o++ = 'r';
                break;
            case '\t':
                *o++ = 't';
                break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hexDigit(u >> 4);
                *o++ = hexDigit(u & 0xf);
            }
        } else if (u < 0x800) {
            *o++ = char(0xc0 | (u >> 6));
            *o++ = char(0x80 | (u & 0x3f));
        } else if (isHighSurrogate(u) && src != end && isLowSurrogate(*src)) {
            const char32_t c = 0x10000 + ((char32_t(u) - 0xd800) << 10) + (*src++ - 0xdc00);
            *o++ = char(0xf0 | (c >> 18));
            *o++ = char(0x80 | ((c >> 12) & 0x3f));
            *o++ = char(0x80 | ((c >> 6) & 0x3f));
            *o++ = char(0x80 | (c & 0x3f));
        } else if (isHighSurrogate(u) || isLowSurrogate(u)) {
            *o++ = '\\';
            *o++ = 'u';
            *o++ = hexDigit(u >> 12);
            *o++ = hexDigit((u >> 8) & 0xf);
            *o++ = hexDigit((u >> 4) & 0xf);
            *o++ = hexDigit(u & 0xf);
        } else {
            *o++ = char(0xe0 | (u >> 12));
            *o++ = char(0x80 | ((u >> 6) & 0x3f));
            *o++ = char(0x80 | (u & 0x3f));
        }
    }
    m_size += o - first;
}

} // namespace sb
