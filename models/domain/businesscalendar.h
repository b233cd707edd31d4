#pragma once

#include "result.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QTimeZone>

#include <array>

namespace sb {

// When a helpdesk is staffed: weekly opening hours in one time zone, minus whole-day holidays.
// SLA targets count only the time inside these hours (Zendesk/Freshdesk "business hours").
//
// Hours are wall-clock times in the calendar's zone, so 09:00-17:00 stays 09:00-17:00 local on
// both sides of a daylight-saving change; elapsed time is always real seconds (a 24/7 day with a
// DST change has 23 or 25 hours). A boundary in a skipped hour maps to the moment of the jump; a
// boundary in a repeated hour takes the widest reading (first occurrence for a start, second for
// an end), so no wall-clock minute of an interval is ever lost.
//
// Default-constructed: open 24/7 in UTC, no holidays.
class BusinessCalendar
{
public:
    // [startMinute, endMinute) after local midnight. Minutes rather than QTime so that an
    // interval can end at midnight: endMinute == 1440 is "24:00" (also on the wire).
    struct Interval
    {
        int startMinute = 0;
        int endMinute = 0;

        bool operator==(const Interval &) const = default;
    };
    static constexpr int kMinutesPerDay = 24 * 60;
    // How far addBusinessSeconds looks for enough open time before giving up.
    static constexpr int kMaxSearchDays = 3 * 366;

    BusinessCalendar();

    const QTimeZone &timeZone() const { return m_zone; }
    Status setTimeZone(const QTimeZone &zone);

    // day: Qt::Monday..Qt::Sunday. Intervals are kept sorted; they may touch but not overlap.
    QList<Interval> hours(Qt::DayOfWeek day) const;
    Status setHours(Qt::DayOfWeek day, QList<Interval> intervals);
    bool hasOpeningHours() const;

    const QSet<QDate> &holidays() const { return m_holidays; }
    void setHolidays(const QSet<QDate> &days) { m_holidays = days; }
    void addHoliday(QDate day) { m_holidays.insert(day); }

    // The instant at which `seconds` of open time have passed since `start`; counting begins at
    // the next opening when `start` is outside hours. seconds <= 0 answers `start` itself (so a
    // due time shifted by zero paused seconds does not move). Invalid when the calendar has no
    // opening hours within kMaxSearchDays.
    QDateTime addBusinessSeconds(const QDateTime &start, qint64 seconds) const;
    // Whole seconds of open time in [a, b); 0 when b <= a.
    qint64 businessSecondsBetween(const QDateTime &a, const QDateTime &b) const;
    bool isOpen(const QDateTime &t) const;

    // {"timeZone":"Europe/Berlin","hours":{"mon":[["09:00","17:00"]],...},"holidays":[...]}.
    // Absent keys keep the defaults; when "hours" is present, a day it omits is closed. Unknown
    // keys, zones, days, times, empty or overlapping intervals and bad dates are refused with an
    // "invalid_field" error whose details.field names the field ("hours.mon[0]").
    static Result<BusinessCalendar> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;

    bool operator==(const BusinessCalendar &) const = default;

private:
    struct Span
    {
        qint64 startMs;
        qint64 endMs;
    };
    QList<Span> openSpans(QDate localDay) const;
    QDate localDate(qint64 msecs) const;

    QTimeZone m_zone;
    std::array<QList<Interval>, 7> m_hours; // index 0 = Monday
    QSet<QDate> m_holidays;
};

} // namespace sb
