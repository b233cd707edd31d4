#include "cronschedule.h"

#include <QHash>
#include <QRegularExpression>

namespace sb::server {

namespace {

struct FieldSpec
{
    const char *name;
    int min;
    int max; // weekdays parse up to 7, folded onto 0 (Sunday)
    QStringList names; // names[i] stands for min + i
};

const std::array<FieldSpec, 5> &fieldSpecs()
{
    static const std::array<FieldSpec, 5> specs = {{
        {"minute", 0, 59, {}},
        {"hour", 0, 23, {}},
        {"day of month", 1, 31, {}},
        {"month",
         1,
         12,
         {QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"),
          QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"),
          QStringLiteral("jul"), QStringLiteral("aug"), QStringLiteral("sep"),
          QStringLiteral("oct"), QStringLiteral("nov"), QStringLiteral("dec")}},
        {"day of week",
         0,
         7,
         {QStringLiteral("sun"), QStringLiteral("mon"), QStringLiteral("tue"),
          QStringLiteral("wed"), QStringLiteral("thu"), QStringLiteral("fri"),
          QStringLiteral("sat")}},
    }};
    return specs;
}

Error cronError(const QString &expression, const QString &problem)
{
    return Error::make(
        QStringLiteral("invalid_cron"),
        QStringLiteral("Invalid cron expression \"%1\": %2.").arg(expression, problem),
        {{QStringLiteral("expression"), expression}});
}

// One value of a field: a number in range or one of the field's names.
std::optional<int> parseValue(const FieldSpec &spec, const QString &text, QString *problem)
{
    bool ok = false;
    const int n = text.toInt(&ok);
    if (ok) {
        if (n < spec.min || n > spec.max) {
            *problem = QStringLiteral("%1: %2 is out of range %3-%4")
                           .arg(QLatin1StringView(spec.name), text)
                           .arg(spec.min)
                           .arg(spec.max);
            return std::nullopt;
        }
        return n;
    }
    const qsizetype index = spec.names.indexOf(text.toLower());
    if (index >= 0)
        return spec.min + int(index);
    *problem = QStringLiteral("%1: \"%2\" is not a number%3")
                   .arg(QLatin1StringView(spec.name), text,
                        spec.names.isEmpty() ? QString() : QStringLiteral(" or a name"));
    return std::nullopt;
}

// Sets the bits of one field ("1-5,*/15"). Answers the problem, empty when none.
QString parseField(const FieldSpec &spec, const QString &field, std::bitset<64> &bits)
{
    const QString name = QLatin1StringView(spec.name);
    for (const QString &item : field.split(u',')) {
        if (item.isEmpty())
            return QStringLiteral("%1: empty item in \"%2\"").arg(name, field);
        const QStringList stepped = item.split(u'/');
        if (stepped.size() > 2)
            return QStringLiteral("%1: more than one '/' in \"%2\"").arg(name, item);
        int step = 1;
        if (stepped.size() == 2) {
            bool ok = false;
            step = stepped[1].toInt(&ok);
            if (!ok || step < 1 || step > spec.max)
                return QStringLiteral("%1: step \"%2\" must be a number from 1 to %3")
                    .arg(name, stepped[1])
                    .arg(spec.max);
        }
        const QString &range = stepped[0];
        int low = spec.min;
        int high = spec.max;
        if (range != u"*") {
            QString problem;
            const QStringList ends = range.split(u'-');
            if (ends.size() > 2)
                return QStringLiteral("%1: \"%2\" is not a range").arg(name, range);
            const auto first = parseValue(spec, ends[0], &problem);
            if (!first)
                return problem;
            low = *first;
            if (ends.size() == 2) {
                const auto last = parseValue(spec, ends[1], &problem);
                if (!last)
                    return problem;
                high = *last;
                if (high < low)
                    return QStringLiteral("%1: range \"%2\" runs backwards").arg(name, range);
            } else if (stepped.size() == 1) {
                high = low; // a single value; "a/n" runs from a to the maximum
            }
        }
        for (int v = low; v <= high; v += step)
            bits.set(std::size_t(v));
    }
    return {};
}

const QHash<QString, QString> &macros()
{
    static const QHash<QString, QString> m = {
        {QStringLiteral("@yearly"), QStringLiteral("0 0 1 1 *")},
        {QStringLiteral("@annually"), QStringLiteral("0 0 1 1 *")},
        {QStringLiteral("@monthly"), QStringLiteral("0 0 1 * *")},
        {QStringLiteral("@weekly"), QStringLiteral("0 0 * * 0")},
        {QStringLiteral("@daily"), QStringLiteral("0 0 * * *")},
        {QStringLiteral("@midnight"), QStringLiteral("0 0 * * *")},
        {QStringLiteral("@hourly"), QStringLiteral("0 * * * *")},
    };
    return m;
}

template<std::size_t N>
std::bitset<N> narrow(const std::bitset<64> &bits)
{
    return std::bitset<N>(bits.to_ullong());
}

// The first set bit at or after `from`, or -1.
template<std::size_t N>
int nextSet(const std::bitset<N> &bits, int from)
{
    for (int i = from; i < int(N); ++i) {
        if (bits[std::size_t(i)])
            return i;
    }
    return -1;
}

} // namespace

Result<CronSchedule> CronSchedule::parse(const QString &expression)
{
    const QString trimmed = expression.trimmed();
    QString text = trimmed;
    if (text.startsWith(u'@')) {
        text = macros().value(text.toLower());
        if (text.isEmpty())
            return cronError(trimmed,
                             QStringLiteral("unknown macro (use @hourly, @daily, "
                                            "@weekly, @monthly or @yearly)"));
    }
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    const QStringList fields = text.split(spaces, Qt::SkipEmptyParts);
    if (fields.size() != 5) {
        return cronError(trimmed,
                         QStringLiteral("expected 5 fields (minute hour day-of-month "
                                        "month day-of-week), found %1")
                             .arg(fields.size()));
    }

    CronSchedule s;
    s.m_expression = trimmed;
    std::array<std::bitset<64>, 5> bits;
    for (std::size_t i = 0; i < bits.size(); ++i) {
        if (const QString problem = parseField(fieldSpecs()[i], fields[qsizetype(i)], bits[i]);
            !problem.isEmpty())
            return cronError(trimmed, problem);
    }
    if (bits[4][7]) // 7 is Sunday too
        bits[4].set(0);
    s.m_minutes = narrow<60>(bits[0]);
    s.m_hours = narrow<24>(bits[1]);
    s.m_daysOfMonth = narrow<32>(bits[2]);
    s.m_months = narrow<13>(bits[3]);
    s.m_daysOfWeek = narrow<7>(bits[4]);
    // Vixie cron's rule: a day field written with "*" (including "*/2") does not restrict.
    s.m_anyDayOfMonth = fields[2].startsWith(u'*');
    s.m_anyDayOfWeek = fields[4].startsWith(u'*');
    return s;
}

bool CronSchedule::dayMatches(const QDate &date) const
{
    const bool dom = m_daysOfMonth[std::size_t(date.day())];
    const bool dow = m_daysOfWeek[std::size_t(date.dayOfWeek() % 7)]; // Qt: Monday 1..Sunday 7
    if (m_anyDayOfMonth || m_anyDayOfWeek)
        return dom && dow;
    return dom || dow;
}

bool CronSchedule::matches(const QDateTime &at) const
{
    const QDateTime utc = at.toUTC();
    return m_months[std::size_t(utc.date().month())] && dayMatches(utc.date())
        && m_hours[std::size_t(utc.time().hour())] && m_minutes[std::size_t(utc.time().minute())];
}

QDateTime CronSchedule::next(const QDateTime &after) const
{
    const QDateTime start = after.toUTC();
    QDate day = start.date();
    int hour = start.time().hour();
    int minute = start.time().minute() + 1; // strictly after: the next whole minute
    // The longest gap between firings is a 29 February across a century year: 8 years.
    const int lastYear = day.year() + 9;
    while (day.isValid() && day.year() <= lastYear) {
        if (minute > 59) {
            minute = 0;
            ++hour;
        }
        if (hour > 23) {
            hour = minute = 0;
            day = day.addDays(1);
            continue;
        }
        if (!m_months[std::size_t(day.month())]) {
            day = QDate(day.year(), day.month(), 1).addMonths(1);
            hour = minute = 0;
            continue;
        }
        if (!dayMatches(day)) {
            day = day.addDays(1);
            hour = minute = 0;
            continue;
        }
        const int h = nextSet(m_hours, hour);
        if (h < 0) {
            hour = 24;
            continue;
        }
        if (h != hour) {
            hour = h;
            minute = 0;
        }
        const int m = nextSet(m_minutes, minute);
        if (m < 0) {
            minute = 60;
            continue;
        }
        return QDateTime(day, QTime(hour, m), Qt::UTC);
    }
    return {};
}

QList<QDateTime> CronSchedule::occurrences(const QDateTime &from, const QDateTime &to,
                                           int limit) const
{
    QList<QDateTime> out;
    for (QDateTime t = next(from); t.isValid() && t <= to && out.size() < limit; t = next(t))
        out << t;
    return out;
}

bool CronSchedule::firesBetween(const QDateTime &from, const QDateTime &to) const
{
    const QDateTime first = next(from);
    return first.isValid() && first <= to;
}

} // namespace sb::server
