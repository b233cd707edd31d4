#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace sb {

// Timestamps on the wire: ISO-8601 UTC with milliseconds, "2026-11-25T16:31:43.123Z".
QString toIsoUtc(const QDateTime &t);

// The same text written from milliseconds since the epoch into a fixed buffer, without
// QDateTime's formatting (a measurable share of every JSON answer); false, buffer unspecified,
// for years outside 1..9999, which toIsoUtc leaves to Qt.
inline constexpr int kIsoUtcLength = 24;
bool formatIsoUtc(qint64 msecsSinceEpoch, char (&out)[kIsoUtcLength]);

// Accepts any ISO-8601 date-time with a zone (Z or ±hh:mm); a time without one is refused,
// because it would be read in the server's zone.
std::optional<QDateTime> parseIsoUtc(const QString &text);

// JSON null for an unset time.
QJsonValue isoOrNull(const QDateTime &t);

} // namespace sb
