#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace sb::server {

// A plain-text e-mail in RFC 5322 / MIME form, as the DATA of an SMTP transaction (before the
// transport's dot-stuffing). Header values are cleaned of line breaks, so no text of a
// notification can add a header.
struct MailMessage
{
    QString from;
    QString to;
    QString subject;
    QString body;
    QDateTime date; // when it is sent (real time)
    QString messageId; // "local@domain", without angle brackets; the same on every retry

    // Headers and body with CRLF line ends, ending with CRLF. The body is 7bit when it is ASCII
    // with short lines, quoted-printable otherwise.
    QByteArray toMime() const;

    // An address we can put in MAIL FROM / RCPT TO and a header: one @, no spaces, no brackets,
    // no control characters.
    static bool isValidAddress(const QString &address);
    // The Subject value: as is when ASCII, RFC 2047 encoded words (UTF-8, base64) otherwise.
    static QByteArray encodeHeaderText(const QString &text);
    static QByteArray quotedPrintable(const QByteArray &utf8);
    // "Tue, 25 Nov 2025 16:58:00 +0000"
    static QByteArray rfc5322Date(const QDateTime &date);
};

} // namespace sb::server
