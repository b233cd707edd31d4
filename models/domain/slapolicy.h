#pragma once

#include "businesscalendar.h"
#include "enums.h"
#include "result.h"

#include <QJsonObject>

#include <array>

namespace sb {

// Business seconds allowed for each SLA metric of one priority.
struct SlaTargets
{
    qint64 firstResponseSeconds = 0;
    qint64 nextReplySeconds = 0;
    qint64 resolutionSeconds = 0;

    bool operator==(const SlaTargets &) const = default;
};

// The SLA a helpdesk promises: targets per ticket priority, counted in the calendar's business
// time. Default-constructed: the defaults below on a 24/7 UTC calendar.
class SlaPolicy
{
public:
    // Longest target accepted, 90 days of business time: it still fits the calendar's
    // three-year search on a desk open 14 hours a week or more.
    static constexpr qint64 kMaxTargetSeconds = 90LL * 24 * 3600;

    SlaPolicy();

    // urgent 1h/1h/4h, high 4h/4h/24h, medium 8h/8h/48h, low 24h/24h/72h
    // (first response / next reply / resolution).
    static SlaTargets defaultTargets(TicketPriority priority);

    SlaTargets targets(TicketPriority priority) const;
    // Refuses a non-positive or over-long target ("invalid_field" naming it).
    Status setTargets(TicketPriority priority, const SlaTargets &targets);

    const BusinessCalendar &calendar() const { return m_calendar; }
    void setCalendar(const BusinessCalendar &calendar) { m_calendar = calendar; }

    // {"urgent":{"firstResponseMinutes":60,"nextReplyMinutes":60,"resolutionMinutes":240},...,
    //  "calendar":{...}}. Absent priorities, fields and calendar keep the defaults; unknown keys
    // are refused, since a misspelt key in a policy would silently keep a default target.
    // Minutes may be fractional (0.5 = 30 s) for demos and tests, and are kept to the second.
    static Result<SlaPolicy> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;

    bool operator==(const SlaPolicy &) const = default;

private:
    std::array<SlaTargets, 4> m_targets; // indexed by TicketPriority
    BusinessCalendar m_calendar;
};

} // namespace sb
