#include "businesscalendar.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace sb {

namespace {

constexpr qint64 kMsPerMinute = 60 * 1000;
constexpr qint64 kMsPerDay = 24 * 60 * kMsPerMinute;
constexpr const char *kDayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int offsetSecondsAt(const QTimeZone &zone, qint64 msecs)
{
    return zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC));
}

enum class Reading { Earliest, Latest };

// The UTC instant of a wall-clock time, done by hand because QDateTime's own choice inside a
// skipped or repeated hour is not specified in Qt 6.4. Offsets a day either side bound every
// offset the wall time can have, since zones do not change twice within a couple of days.
qint64 wallToUtcMs(const QTimeZone &zone, QDate day, int minute, Reading reading)
{
    const qint64 wall
        = QDateTime(day, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() + minute * kMsPerMinute;
    const int before = offsetSecondsAt(zone, wall - kMsPerDay);
    const int after = offsetSecondsAt(zone, wall + kMsPerDay);
    const qint64 viaBefore = wall - before * 1000LL;
    const qint64 viaAfter = wall - after * 1000LL;
    const bool beforeFits = offsetSecondsAt(zone, viaBefore) == before;
    const bool afterFits = offsetSecondsAt(zone, viaAfter) == after;
    if (beforeFits && afterFits) // repeated hour (or no change at all)
        return reading == Reading::Earliest ? std::min(viaBefore, viaAfter)
                                            : std::max(viaBefore, viaAfter);
    if (beforeFits)
        return viaBefore;
    if (afterFits)
        return viaAfter;
    if (before == after) // two changes close together: no known zone does this today
        return QDateTime(day, QTime(0, 0), zone).addSecs(minute * 60LL).toMSecsSinceEpoch();
    // Skipped hour: the wall time never shows; use the moment of the jump, found by bisection
    // (whole seconds, so about a dozen look-ups) between the two readings.
    qint64 lo = std::min(viaBefore, viaAfter) / 1000; // still the old offset
    qint64 hi = std::max(viaBefore, viaAfter) / 1000; // already the new one
    const int oldOffset = offsetSecondsAt(zone, lo * 1000);
    while (hi - lo > 1) {
        const qint64 mid = lo + (hi - lo) / 2;
        (offsetSecondsAt(zone, mid * 1000) == oldOffset ? lo : hi) = mid;
    }
    return hi * 1000;
}

Error invalidField(const QString &field, const QString &problem)
{
    return Error::make(QStringLiteral("invalid_field"), field + u' ' + problem,
                       QJsonObject {{QStringLiteral("field"), field}});
}

// "HH:mm", 00:00..24:00.
std::optional<int> parseMinute(const QJsonValue &value)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^(\d{2}):(\d{2})$)"));
    const auto match = pattern.match(value.toString());
    if (!value.isString() || !match.hasMatch())
        return std::nullopt;
    const int h = match.captured(1).toInt();
    const int m = match.captured(2).toInt();
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return std::nullopt;
    return h * 60 + m;
}

QString formatMinute(int minute)
{
    return QStringLiteral("%1:%2")
        .arg(minute / 60, 2, 10, QLatin1Char('0'))
        .arg(minute % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

BusinessCalendar::BusinessCalendar()
    : m_zone(QTimeZone::utc())
{
    m_hours.fill({Interval {0, kMinutesPerDay}});
}

Status BusinessCalendar::setTimeZone(const QTimeZone &zone)
{
    if (!zone.isValid())
        return invalidField(QStringLiteral("timeZone"), QStringLiteral("is not a valid time zone"));
    m_zone = zone;
    return {};
}

QList<BusinessCalendar::Interval> BusinessCalendar::hours(Qt::DayOfWeek day) const
{
    return m_hours.at(day - 1);
}

Status BusinessCalendar::setHours(Qt::DayOfWeek day, QList<Interval> intervals)
{
    const QString field = QStringLiteral("hours.") + QLatin1StringView(kDayKeys[day - 1]);
    std::sort(intervals.begin(), intervals.end(),
              [](const Interval &a, const Interval &b) { return a.startMinute < b.startMinute; });
    for (qsizetype i = 0; i < intervals.size(); ++i) {
        const Interval &iv = intervals.at(i);
        if (iv.startMinute < 0 || iv.endMinute > kMinutesPerDay)
            return invalidField(field, QStringLiteral("must lie within 00:00-24:00"));
        if (iv.startMinute >= iv.endMinute)
            return invalidField(field, QStringLiteral("must start before it ends"));
        if (i > 0 && intervals.at(i - 1).endMinute > iv.startMinute)
            return invalidField(field, QStringLiteral("has overlapping intervals"));
    }
    m_hours[day - 1] = intervals;
    return {};
}

bool BusinessCalendar::hasOpeningHours() const
{
    return std::any_of(m_hours.begin(), m_hours.end(),
                       [](const QList<Interval> &day) { return !day.isEmpty(); });
}

QDate BusinessCalendar::localDate(qint64 msecs) const
{
    return QDateTime::fromMSecsSinceEpoch(msecs + offsetSecondsAt(m_zone, msecs) * 1000LL, Qt::UTC)
        .date();
}

QList<BusinessCalendar::Span> BusinessCalendar::openSpans(QDate localDay) const
{
    QList<Span> spans;
    if (m_holidays.contains(localDay))
        return spans;
    for (const Interval &iv : m_hours.at(localDay.dayOfWeek() - 1)) {
        const qint64 start = wallToUtcMs(m_zone, localDay, iv.startMinute, Reading::Earliest);
        const qint64 end = wallToUtcMs(m_zone, localDay, iv.endMinute, Reading::Latest);
        if (end > start) // an interval wholly inside a skipped hour is empty
            spans.append({start, end});
    }
    return spans;
}

QDateTime BusinessCalendar::addBusinessSeconds(const QDateTime &start, qint64 seconds) const
{
    if (!start.isValid())
        return {};
    if (seconds <= 0)
        return start;
    // Past the search horizon no calendar can answer; this also keeps seconds * 1000 in range.
    if (!hasOpeningHours() || seconds > qint64(kMaxSearchDays) * 24 * 3600)
        return {};
    const qint64 from = start.toMSecsSinceEpoch();
    qint64 remaining = seconds * 1000;
    qint64 cursor = from; // open time before the cursor is already counted
    // One step per local day, one look at each opening interval: a long holiday costs a few
    // hundred steps at most, never one per minute. The day before is included because a
    // repeated hour can stretch its last interval past the local midnight.
    const QDate first = localDate(from).addDays(-1);
    for (int i = 0; i <= kMaxSearchDays; ++i) {
        for (const Span &span : openSpans(first.addDays(i))) {
            const qint64 begin = std::max(span.startMs, cursor);
            if (span.endMs <= begin)
                continue;
            if (remaining <= span.endMs - begin)
                return QDateTime::fromMSecsSinceEpoch(begin + remaining, Qt::UTC);
            remaining -= span.endMs - begin;
            cursor = span.endMs;
        }
    }
    return {};
}

qint64 BusinessCalendar::businessSecondsBetween(const QDateTime &a, const QDateTime &b) const
{
    if (!a.isValid() || !b.isValid() || b <= a)
        return 0;
    const qint64 from = a.toMSecsSinceEpoch();
    const qint64 to = b.toMSecsSinceEpoch();
    qint64 total = 0;
    qint64 cursor = from;
    const QDate last = localDate(to).addDays(1);
    for (QDate day = localDate(from).addDays(-1); day <= last; day = day.addDays(1)) {
        for (const Span &span : openSpans(day)) {
            const qint64 begin = std::max(span.startMs, cursor);
            const qint64 end = std::min(span.endMs, to);
            if (end > begin) {
                total += end - begin;
                cursor = end;
            }
        }
    }
    return total / 1000;
}

bool BusinessCalendar::isOpen(const QDateTime &t) const
{
    if (!t.isValid())
        return false;
    const qint64 ms = t.toMSecsSinceEpoch();
    const QDate day = localDate(ms);
    for (int d = -1; d <= 1; ++d) {
        for (const Span &span : openSpans(day.addDays(d))) {
            if (span.startMs <= ms && ms < span.endMs)
                return true;
        }
    }
    return false;
}

Result<BusinessCalendar> BusinessCalendar::fromJson(const QJsonObject &json)
{
    BusinessCalendar calendar;
    // Strict like SlaPolicy: a misspelt "holiday" would silently open the desk on Christmas.
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() != QLatin1StringView("timeZone") && it.key() != QLatin1StringView("hours")
            && it.key() != QLatin1StringView("holidays"))
            return invalidField(
                it.key(), QStringLiteral("is not a calendar field (timeZone, hours, holidays)"));
    }
    if (json.contains(QLatin1StringView("timeZone"))) {
        const QJsonValue id = json.value(QLatin1StringView("timeZone"));
        const QTimeZone zone(id.toString().toUtf8());
        if (!id.isString() || id.toString().isEmpty() || !zone.isValid())
            return invalidField(QStringLiteral("timeZone"),
                                QStringLiteral("is not a known IANA time zone id"));
        calendar.m_zone = zone;
    }
    if (json.contains(QLatin1StringView("hours"))) {
        const QJsonValue hours = json.value(QLatin1StringView("hours"));
        if (!hours.isObject())
            return invalidField(QStringLiteral("hours"), QStringLiteral("must be an object"));
        const QJsonObject byDay = hours.toObject();
        for (auto it = byDay.begin(); it != byDay.end(); ++it) {
            if (std::none_of(std::begin(kDayKeys), std::end(kDayKeys),
                             [&](const char *k) { return it.key() == QLatin1StringView(k); }))
                return invalidField(QStringLiteral("hours.") + it.key(),
                                    QStringLiteral("is not a weekday (mon..sun)"));
        }
        for (int d = 0; d < 7; ++d) {
            const QString field = QStringLiteral("hours.") + QLatin1StringView(kDayKeys[d]);
            const QJsonValue day = byDay.value(QLatin1StringView(kDayKeys[d]));
            if (!day.isUndefined() && !day.isArray())
                return invalidField(field, QStringLiteral("must be an array of intervals"));
            QList<Interval> intervals;
            const QJsonArray list = day.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString itemField = field + u'[' + QString::number(i) + u']';
                const QJsonArray pair = list.at(i).toArray();
                const auto start = parseMinute(pair.at(0));
                const auto end = parseMinute(pair.at(1));
                if (!list.at(i).isArray() || pair.size() != 2 || !start || !end)
                    return invalidField(itemField,
                                        QStringLiteral("must be [\"HH:mm\",\"HH:mm\"] within "
                                                       "00:00-24:00"));
                if (*start >= *end)
                    return invalidField(itemField, QStringLiteral("must start before it ends"));
                intervals.append({*start, *end});
            }
            if (Status set = calendar.setHours(Qt::DayOfWeek(d + 1), intervals); !set)
                return set.error();
        }
    }
    if (json.contains(QLatin1StringView("holidays"))) {
        const QJsonValue holidays = json.value(QLatin1StringView("holidays"));
        if (!holidays.isArray())
            return invalidField(QStringLiteral("holidays"), QStringLiteral("must be an array"));
        const QJsonArray list = holidays.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QDate day = QDate::fromString(list.at(i).toString(), Qt::ISODate);
            if (!list.at(i).isString() || !day.isValid())
                return invalidField(QStringLiteral("holidays[%1]").arg(i),
                                    QStringLiteral("must be a date \"YYYY-MM-DD\""));
            calendar.m_holidays.insert(day);
        }
    }
    return calendar;
}

QJsonObject BusinessCalendar::toJson() const
{
    QJsonObject hours;
    for (int d = 0; d < 7; ++d) {
        QJsonArray intervals;
        for (const Interval &iv : m_hours.at(d))
            intervals.append(QJsonArray {formatMinute(iv.startMinute), formatMinute(iv.endMinute)});
        hours.insert(QLatin1StringView(kDayKeys[d]), intervals);
    }
    QList<QDate> days(m_holidays.begin(), m_holidays.end());
    std::sort(days.begin(), days.end());
    QJsonArray holidays;
    for (const QDate &day : days)
        holidays.append(day.toString(Qt::ISODate));
    return {{QStringLiteral("timeZone"), QString::fromUtf8(m_zone.id())},
            {QStringLiteral("hours"), hours},
            {QStringLiteral("holidays"), holidays}};
}

} // namespace sb
