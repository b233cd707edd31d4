#include "slapolicy.h"

#include <algorithm>
#include <cmath>

namespace sb {

namespace {

constexpr qint64 kHour = 3600;

// The wire name and member of each target, so that reading, writing and validating agree.
struct TargetField
{
    const char *key;
    qint64 SlaTargets::*seconds;
};
constexpr TargetField kFields[] = {
    {"firstResponseMinutes", &SlaTargets::firstResponseSeconds},
    {"nextReplyMinutes", &SlaTargets::nextReplySeconds},
    {"resolutionMinutes", &SlaTargets::resolutionSeconds},
};

Error invalidField(const QString &field, const QString &problem)
{
    return Error::make(QStringLiteral("invalid_field"), field + u' ' + problem,
                       QJsonObject {{QStringLiteral("field"), field}});
}

Status checkTargets(const QString &priority, const SlaTargets &targets)
{
    for (const TargetField &f : kFields) {
        const qint64 value = targets.*f.seconds;
        if (value <= 0 || value > SlaPolicy::kMaxTargetSeconds)
            return invalidField(priority + u'.' + QLatin1StringView(f.key),
                                QStringLiteral("must be a positive number of minutes, at most %1")
                                    .arg(SlaPolicy::kMaxTargetSeconds / 60));
    }
    return {};
}

Result<SlaTargets> readTargets(const QString &priority, const QJsonValue &value, SlaTargets targets)
{
    if (!value.isObject())
        return invalidField(priority, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto known
            = std::find_if(std::begin(kFields), std::end(kFields), [&](const TargetField &f) {
                  return it.key() == QLatin1StringView(f.key);
              });
        const QString field = priority + u'.' + it.key();
        if (known == std::end(kFields))
            return invalidField(field, QStringLiteral("is not a known target"));
        const double minutes = it.value().toDouble(-1);
        if (!it.value().isDouble() || !std::isfinite(minutes) || minutes <= 0)
            return invalidField(field, QStringLiteral("must be a positive number of minutes"));
        // A value too large to be a qint64 is caught by checkTargets' range check.
        targets.*known->seconds = std::llround(std::min(minutes * 60, 1e15));
    }
    if (Status valid = checkTargets(priority, targets); !valid)
        return valid.error();
    return targets;
}

} // namespace

SlaPolicy::SlaPolicy()
{
    for (const auto &entry : EnumTraits<TicketPriority>::table)
        m_targets[std::size_t(entry.first)] = defaultTargets(entry.first);
}

SlaTargets SlaPolicy::defaultTargets(TicketPriority priority)
{
    switch (priority) {
    case TicketPriority::Urgent:
        return {1 * kHour, 1 * kHour, 4 * kHour};
    case TicketPriority::High:
        return {4 * kHour, 4 * kHour, 24 * kHour};
    case TicketPriority::Medium:
        return {8 * kHour, 8 * kHour, 48 * kHour};
    case TicketPriority::Low:
        break;
    }
    return {24 * kHour, 24 * kHour, 72 * kHour};
}

SlaTargets SlaPolicy::targets(TicketPriority priority) const
{
    return m_targets.at(std::size_t(priority));
}

Status SlaPolicy::setTargets(TicketPriority priority, const SlaTargets &targets)
{
    if (Status valid = checkTargets(toString(priority), targets); !valid)
        return valid;
    m_targets[std::size_t(priority)] = targets;
    return {};
}

Result<SlaPolicy> SlaPolicy::fromJson(const QJsonObject &json)
{
    SlaPolicy policy;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() == QLatin1StringView("calendar")) {
            if (!it.value().isObject())
                return invalidField(it.key(), QStringLiteral("must be an object"));
            auto calendar = BusinessCalendar::fromJson(it.value().toObject());
            if (!calendar) {
                // Name the field from the policy's root, as a 400 would.
                Error error = calendar.error();
                const QString field = QStringLiteral("calendar.")
                    + error.details.value(QLatin1StringView("field")).toString();
                error.message = QStringLiteral("calendar.") + error.message;
                error.details.insert(QStringLiteral("field"), field);
                return error;
            }
            policy.m_calendar = *calendar;
            continue;
        }
        const auto priority = parseEnum<TicketPriority>(it.key());
        if (!priority)
            return invalidField(it.key(),
                                QStringLiteral("is not a priority (%1) nor \"calendar\"")
                                    .arg(enumStrings<TicketPriority>().join(u", ")));
        auto targets = readTargets(it.key(), it.value(), policy.targets(*priority));
        if (!targets)
            return targets.error();
        policy.m_targets[std::size_t(*priority)] = *targets;
    }
    return policy;
}

QJsonObject SlaPolicy::toJson() const
{
    QJsonObject json;
    for (const auto &entry : EnumTraits<TicketPriority>::table) {
        QJsonObject object;
        for (const TargetField &f : kFields)
            object.insert(QLatin1StringView(f.key), double(targets(entry.first).*f.seconds) / 60);
        json.insert(QLatin1StringView(entry.second), object);
    }
    json.insert(QStringLiteral("calendar"), m_calendar.toJson());
    return json;
}

} // namespace sb
