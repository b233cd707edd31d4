#include "timeformat.h"

#include <QRegularExpression>

namespace sb {

namespace {

constexpr qint64 kMsPerDay = 86'400'000;

void put2(char *out, int v)
{
    out[0] = char('0' + v / 10);
    out[1] = char('0' + v % 10);
}

} // namespace

// Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse): integer
// arithmetic on 400-year eras, exact for the proleptic Gregorian calendar Qt uses.
bool formatIsoUtc(qint64 msecs, char (&out)[kIsoUtcLength])
{
    qint64 days = msecs / kMsPerDay;
    qint64 msOfDay = msecs % kMsPerDay;
    if (msOfDay < 0) { // floor, not truncation: -1 ms is 1969-12-31T23:59:59.999Z
        msOfDay += kMsPerDay;
        --days;
    }
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    // Qt has no year 0 and writes no ISO date outside 1..9999: those take Qt's own path.
    if (year < 1 || year > 9999)
        return false;
    const int ms = int(msOfDay % 1000);
    const int secs = int(msOfDay / 1000);
    put2(out, int(year / 100));
    put2(out + 2, int(year % 100));
    out[4] = '-';
    put2(out + 5, month);
    out[7] = '-';
    put2(out + 8, day);
    out[10] = 'T';
    put2(out + 11, secs / 3600);
    out[13] = ':';
    put2(out + 14, secs / 60 % 60);
    out[16] = ':';
    put2(out + 17, secs % 60);
    out[19] = '.';
    out[20] = char('0' + ms / 100);
    put2(out + 21, ms % 100);
    out[23] = 'Z';
    return true;
}

QString toIsoUtc(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    char buffer[kIsoUtcLength];
    if (formatIsoUtc(t.toMSecsSinceEpoch(), buffer))
        return QString::fromLatin1(buffer, kIsoUtcLength);
    return t.toUTC().toString(Qt::ISODateWithMs);
}

std::optional<QDateTime> parseIsoUtc(const QString &text)
{
    static const QRegularExpression zoned(QStringLiteral(
        R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$)"));
    if (!zoned.match(text).hasMatch())
        return std::nullopt;
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    return t.toUTC();
}

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(toIsoUtc(t)) : QJsonValue(QJsonValue::Null);
}

} // namespace sb
