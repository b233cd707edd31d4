#include "slaclock.h"

#include <algorithm>

namespace sb {

namespace {

// What the SLA clock reads at `t`: it stood still from the start of the current pause.
QDateTime clockReading(const TicketSla &sla, const QDateTime &t)
{
    return sla.pausedSince.isValid() && t > sla.pausedSince ? sla.pausedSince : t;
}

bool missed(const TicketSla &sla, const QDateTime &due, const QDateTime &metAt,
            const QDateTime &now)
{
    if (!due.isValid())
        return false;
    return clockReading(sla, metAt.isValid() ? metAt : now) > due;
}

// Pushes one target's due time past the pause that began at `since` and ends at `now`.
void shiftPastPause(QDateTime &due, const QDateTime &metAt, const QDateTime &since,
                    const QDateTime &now, const BusinessCalendar &calendar)
{
    if (!due.isValid() || due < since)
        return; // already missed when the pause began
    if (metAt.isValid() && metAt < since)
        return; // met before the pause: its clock had already stopped
    const QDateTime until = metAt.isValid() ? std::min(metAt, now) : now;
    due = calendar.addBusinessSeconds(due, calendar.businessSecondsBetween(since, until));
}

std::optional<qint64> secondsLeft(const TicketSla &sla, const BusinessCalendar &calendar,
                                  const QDateTime &due, const QDateTime &metAt,
                                  const QDateTime &now)
{
    if (!due.isValid() || metAt.isValid())
        return std::nullopt;
    const QDateTime reading = clockReading(sla, now);
    if (reading <= due)
        return calendar.businessSecondsBetween(reading, due);
    return -std::max<qint64>(1, calendar.businessSecondsBetween(due, reading));
}

} // namespace

TicketSla startSla(const SlaPolicy &policy, TicketPriority priority, const QDateTime &createdAt)
{
    TicketSla sla;
    recomputeDueTimes(sla, policy, priority, createdAt);
    return sla;
}

void recomputeDueTimes(TicketSla &sla, const SlaPolicy &policy, TicketPriority priority,
                       const QDateTime &createdAt)
{
    const BusinessCalendar &calendar = policy.calendar();
    const SlaTargets targets = policy.targets(priority);
    // Two steps rather than target + pausedSeconds at once: the same instant, and it mirrors
    // how resumeSla pushed the due time when each pause ended.
    const auto dueAfter = [&](qint64 target) {
        return calendar.addBusinessSeconds(calendar.addBusinessSeconds(createdAt, target),
                                           sla.pausedSeconds);
    };
    if (!sla.firstResponseAt.isValid())
        sla.firstResponseDueAt = dueAfter(targets.firstResponseSeconds);
    if (!sla.resolvedAt.isValid())
        sla.resolutionDueAt = dueAfter(targets.resolutionSeconds);
}

void pauseSla(TicketSla &sla, const QDateTime &now)
{
    if (!sla.pausedSince.isValid())
        sla.pausedSince = now;
}

void resumeSla(TicketSla &sla, const SlaPolicy &policy, const QDateTime &now)
{
    if (!sla.pausedSince.isValid())
        return;
    const QDateTime since = sla.pausedSince;
    const BusinessCalendar &calendar = policy.calendar();
    sla.pausedSeconds += calendar.businessSecondsBetween(since, now);
    shiftPastPause(sla.firstResponseDueAt, sla.firstResponseAt, since, now, calendar);
    shiftPastPause(sla.resolutionDueAt, sla.resolvedAt, since, now, calendar);
    sla.pausedSince = QDateTime();
}

void recordFirstResponse(TicketSla &sla, const QDateTime &at)
{
    if (!sla.firstResponseAt.isValid())
        sla.firstResponseAt = at;
}

void recordResolution(TicketSla &sla, const QDateTime &at)
{
    sla.resolvedAt = at;
}

void reopenSla(TicketSla &sla)
{
    sla.resolvedAt = QDateTime();
}

bool firstResponseBreached(const TicketSla &sla, const QDateTime &now)
{
    return missed(sla, sla.firstResponseDueAt, sla.firstResponseAt, now);
}

bool resolutionBreached(const TicketSla &sla, const QDateTime &now)
{
    return missed(sla, sla.resolutionDueAt, sla.resolvedAt, now);
}

void refreshBreachFlags(TicketSla &sla, const QDateTime &now)
{
    sla.firstResponseBreached = sla.firstResponseBreached || firstResponseBreached(sla, now);
    sla.resolutionBreached = sla.resolutionBreached || resolutionBreached(sla, now);
}

QDateTime nextBreachFlagChange(const TicketSla &sla)
{
    // While paused, the clock reads pausedSince: nothing changes until a write resumes it.
    if (sla.pausedSince.isValid())
        return {};
    const auto change = [](bool flagged, const QDateTime &due, const QDateTime &metAt) {
        return flagged || metAt.isValid() || !due.isValid() ? QDateTime() : due;
    };
    const QDateTime first
        = change(sla.firstResponseBreached, sla.firstResponseDueAt, sla.firstResponseAt);
    const QDateTime resolution
        = change(sla.resolutionBreached, sla.resolutionDueAt, sla.resolvedAt);
    if (!first.isValid())
        return resolution;
    if (!resolution.isValid())
        return first;
    return std::min(first, resolution);
}

std::optional<qint64> firstResponseSecondsLeft(const TicketSla &sla, const SlaPolicy &policy,
                                               const QDateTime &now)
{
    return secondsLeft(sla, policy.calendar(), sla.firstResponseDueAt, sla.firstResponseAt, now);
}

std::optional<qint64> resolutionSecondsLeft(const TicketSla &sla, const SlaPolicy &policy,
                                            const QDateTime &now)
{
    return secondsLeft(sla, policy.calendar(), sla.resolutionDueAt, sla.resolvedAt, now);
}

QDateTime nextReplyDueAt(const SlaPolicy &policy, TicketPriority priority,
                         const QDateTime &customerMessageAt)
{
    return policy.calendar().addBusinessSeconds(customerMessageAt,
                                                policy.targets(priority).nextReplySeconds);
}

} // namespace sb
