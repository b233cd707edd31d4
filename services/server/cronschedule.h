#pragma once

#include <domain/result.h>

#include <QDateTime>
#include <QList>
#include <QString>

#include <array>
#include <bitset>

namespace sb::server {

// A classic five-field cron expression: "minute hour day-of-month month day-of-week".
// Each field takes `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (from a to the
// field's maximum), and comma-separated lists of those. Months and weekdays also take English
// names (jan..dec, sun..sat); weekday 0 and 7 are both Sunday. The macros @hourly, @daily
// (@midnight), @weekly, @monthly and @yearly (@annually) stand for their usual expansions.
// As in Vixie cron, when both day fields are restricted a day matches if either matches.
//
// Schedules are in UTC: switchboard-server keeps business time in UTC, so "0 2 * * *" is 02:00
// UTC whatever the host's time zone, and no daylight-saving change ever skips or repeats a run.
class CronSchedule
{
public:
    // Error "invalid_cron" naming the field and the problem ("hour: 24 is out of range 0-23").
    static Result<CronSchedule> parse(const QString &expression);

    QString expression() const { return m_expression; }

    // Whether the schedule fires at that minute (seconds and milliseconds are ignored).
    bool matches(const QDateTime &at) const;
    // The first firing strictly after `after`, in UTC at a whole minute; invalid when the
    // schedule can never fire (such as "0 0 30 2 *"). Skips non-matching months, days and hours
    // whole, so a yearly schedule costs a few dozen steps, not a walk over every minute.
    QDateTime next(const QDateTime &after) const;
    // The firings in (from, to], earliest first, at most `limit` of them.
    QList<QDateTime> occurrences(const QDateTime &from, const QDateTime &to,
                                 int limit = 1000) const;
    // Whether it fires at least once in (from, to].
    bool firesBetween(const QDateTime &from, const QDateTime &to) const;

private:
    CronSchedule() = default;
    bool dayMatches(const QDate &date) const;

    QString m_expression;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_daysOfMonth; // 1..31
    std::bitset<13> m_months; // 1..12
    std::bitset<7> m_daysOfWeek; // 0 = Sunday
    bool m_anyDayOfMonth = true; // the field was "*" (or a step over all of it)
    bool m_anyDayOfWeek = true;
};

} // namespace sb::server
