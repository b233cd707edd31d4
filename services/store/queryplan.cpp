#include "queryplan.h"

#include "sqlfilter.h"
#include "sqlquery.h"

#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlField>
#include <QSqlQuery>
#include <QStringList>

#include <algorithm>

namespace sb::store {

namespace {

// PostgreSQL cannot PREPARE an EXPLAIN, so the values go in as literals, escaped by the driver
// exactly as it escapes them for EXECUTE. Longest names first, so :s1 never eats :s10.
QString inlineBindings(const QSqlDatabase &db, QString sql,
                       QList<QPair<QString, QVariant>> bindings)
{
    std::sort(bindings.begin(), bindings.end(),
              [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
    for (const auto &[placeholder, value] : std::as_const(bindings)) {
        QSqlField field(QString(), value.metaType());
        field.setValue(value);
        const QString literal = db.driver()->formatValue(field);
        sql.replace(QRegularExpression(QRegularExpression::escape(placeholder) + u"\\b"), literal);
    }
    return sql;
}

} // namespace

Dialect dialectOf(const QSqlDatabase &db)
{
    return db.driverName() == u"QPSQL" ? Dialect::Postgres : Dialect::Sqlite;
}

Result<QString> explainQuery(const QSqlDatabase &db, const QString &sql, const SqlFilter &bindings,
                             bool preferIndexes)
{
    QStringList lines;
    if (dialectOf(db) == Dialect::Sqlite) {
        SqlQuery q(db, u"EXPLAIN QUERY PLAN " + sql);
        bindings.applyTo(q);
        if (Status s = q.exec(); !s)
            return s.error();
        while (q.next())
            lines << q.value(3).toString(); // (id, parent, notused, detail)
        return lines.join(u'\n');
    }

    if (preferIndexes) {
        if (Status s = execDirect(db, QStringLiteral("SET enable_seqscan = off")); !s)
            return s.error();
    }
    QSqlQuery q(db);
    const bool ran = q.exec(u"EXPLAIN " + inlineBindings(db, sql, bindings.bindings()));
    while (ran && q.next())
        lines << q.value(0).toString();
    if (preferIndexes)
        (void)execDirect(db, QStringLiteral("RESET enable_seqscan"));
    if (!ran)
        return storageError();
    return lines.join(u'\n');
}

} // namespace sb::store
