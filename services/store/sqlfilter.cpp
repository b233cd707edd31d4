#include "sqlfilter.h"

#include "sqlquery.h"

namespace sb::store {

SqlFilter &SqlFilter::where(const QString &condition)
{
    m_conditions << condition;
    return *this;
}

SqlFilter &SqlFilter::bind(const QString &placeholder, const QVariant &value)
{
    m_bindings.append({placeholder, value});
    return *this;
}

SqlFilter &SqlFilter::whereIn(const QString &column, const QString &prefix,
                              const QStringList &values)
{
    if (values.isEmpty())
        return *this;
    where(column + u" IN (" + placeholders(prefix, values.size()) + u')');
    for (qsizetype i = 0; i < values.size(); ++i)
        bind(u':' + prefix + QString::number(i), values.at(i));
    return *this;
}

QString SqlFilter::clause() const
{
    if (m_conditions.isEmpty())
        return {};
    return u" WHERE " + m_conditions.join(u" AND ");
}

void SqlFilter::applyTo(SqlQuery &query) const
{
    for (const auto &[placeholder, value] : m_bindings)
        query.bind(placeholder, value);
}

QString SqlFilter::placeholders(const QString &prefix, qsizetype count)
{
    QStringList names;
    for (qsizetype i = 0; i < count; ++i)
        names << u':' + prefix + QString::number(i);
    return names.join(u", ");
}

} // namespace sb::store
