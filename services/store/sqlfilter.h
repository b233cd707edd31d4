#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace sb::store {

class SqlQuery;

// The WHERE clause of a list query and the values it binds, built once and applied to both the
// count and the page query, so the two can never disagree. Conditions are SQL text written by
// the repositories; user input only ever reaches the database as bound values.
class SqlFilter
{
public:
    // ANDed with the others.
    SqlFilter &where(const QString &condition);
    SqlFilter &bind(const QString &placeholder, const QVariant &value);
    // column IN (:prefix0, :prefix1, ...); adds nothing when values is empty.
    SqlFilter &whereIn(const QString &column, const QString &prefix, const QStringList &values);

    // " WHERE a AND b", or an empty string when there is no condition.
    QString clause() const;
    void applyTo(SqlQuery &query) const;
    const QList<QPair<QString, QVariant>> &bindings() const { return m_bindings; }

    // ":prefix0, :prefix1, ..." bound to values: for IN lists that are not a filter condition.
    static QString placeholders(const QString &prefix, qsizetype count);

private:
    QStringList m_conditions;
    QList<QPair<QString, QVariant>> m_bindings;
};

} // namespace sb::store
