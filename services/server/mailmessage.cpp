#include "mailmessage.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace sb::server {

namespace {

constexpr int kMaxSubjectChars = 250;
constexpr int kMaxLineBytes = 998; // RFC 5322 2.1.1
constexpr int kQpLineBytes = 76; // RFC 2045 6.7 (5)
// 52 base64 characters: "Subject: =?UTF-8?B?...?=" stays within 76 (RFC 2047 2).
constexpr int kEncodedWordInputBytes = 39;

bool isAscii(const QByteArray &bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

QString oneLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c == u'\r' || c == u'\n' || c == u'\t')
            c = u' ';
    }
    return out.simplified();
}

QStringList bodyLines(const QString &body)
{
    QString text = body;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\r', u'\n');
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text.split(u'\n');
}

} // namespace

bool MailMessage::isValidAddress(const QString &address)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^[^\s<>@",;:\\()\[\]]+@[^\s<>@",;:\\()\[\]]+$)"));
    return address.size() <= 254 && pattern.match(address).hasMatch()
        && std::none_of(address.cbegin(), address.cend(),
                        [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

QByteArray MailMessage::encodeHeaderText(const QString &text)
{
    const QString clean = oneLine(text).left(kMaxSubjectChars);
    const QByteArray utf8 = clean.toUtf8();
    // "=?" in plain text could be read as an encoded word: encode that too.
    if (isAscii(utf8) && !utf8.contains("=?"))
        return utf8;
    // One encoded word per chunk of whole characters (never a split UTF-8 sequence), folded.
    QList<QByteArray> words;
    QByteArray chunk;
    for (qsizetype i = 0; i < clean.size();) {
        const qsizetype n = clean.at(i).isHighSurrogate() && i + 1 < clean.size() ? 2 : 1;
        const QByteArray ch = clean.mid(i, n).toUtf8();
        if (chunk.size() + ch.size() > kEncodedWordInputBytes) {
            words << chunk;
            chunk.clear();
        }
        chunk += ch;
        i += n;
    }
    if (!chunk.isEmpty())
        words << chunk;
    QByteArray out;
    for (const QByteArray &w : std::as_const(words)) {
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + w.toBase64() + "?=";
    }
    return out;
}

QByteArray MailMessage::quotedPrintable(const QByteArray &utf8)
{
    QByteArray out;
    const QList<QByteArray> lines = utf8.split('\n');
    for (qsizetype l = 0; l < lines.size(); ++l) {
        const QByteArray &line = lines.at(l);
        QByteArray current;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto c = static_cast<unsigned char>(line.at(i));
            const bool last = i == line.size() - 1;
            QByteArray piece;
            if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))
                piece = QByteArray(1, char(c));
            else
                piece = '=' + QByteArray::number(c, 16).rightJustified(2, '0').toUpper();
            // Soft line break: "=" at the end counts towards the 76.
            if (current.size() + piece.size() > kQpLineBytes - 1) {
                out += current + "=\r\n";
                current.clear();
            }
            current += piece;
        }
        out += current;
        if (l + 1 < lines.size())
            out += "\r\n";
    }
    return out;
}

QByteArray MailMessage::rfc5322Date(const QDateTime &date)
{
    return QLocale::c()
               .toString(date.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
               .toLatin1()
        + " +0000";
}

QByteArray MailMessage::toMime() const
{
    const QStringList lines = bodyLines(body);
    const QByteArray joined = lines.join(u'\n').toUtf8();
    const bool plain = isAscii(joined)
        && std::all_of(lines.cbegin(), lines.cend(),
                       [](const QString &l) { return l.size() <= kMaxLineBytes; });

    QByteArray out;
    out += "From: " + oneLine(from).toUtf8() + "\r\n";
    out += "To: " + oneLine(to).toUtf8() + "\r\n";
    out += "Subject: " + encodeHeaderText(subject) + "\r\n";
    out += "Date: " + rfc5322Date(date) + "\r\n";
    out += "Message-ID: <" + oneLine(messageId).toUtf8() + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += QByteArray("Content-Transfer-Encoding: ") + (plain ? "7bit" : "quoted-printable")
        + "\r\n";
    // RFC 3834: machine-made, so auto-responders stay quiet.
    out += "Auto-Submitted: auto-generated\r\n";
    out += "\r\n";
    if (plain) {
        for (const QString &line : lines)
            out += line.toUtf8() + "\r\n";
    } else {
        out += quotedPrintable(joined) + "\r\n";
    }
    return out;
}

} // namespace sb::server
