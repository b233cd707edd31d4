#pragma once

#include <domain/result.h>

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace sb::store {

// A prepared statement with bound values. Every failure is logged with the driver's text and
// the statement, and answered to the caller as a clean "storage_error" (no SQL in it).
class SqlQuery
{
public:
    SqlQuery(const QSqlDatabase &db, const QString &sql);

    SqlQuery &bind(const QString &placeholder, const QVariant &value);
    Status exec();

    bool next() { return m_query.next(); }
    QVariant value(int index) const { return m_query.value(index); }
    QVariant value(const QString &name) const { return m_query.value(name); }
    int rowsAffected() const { return m_query.numRowsAffected(); }
    QSqlQuery &raw() { return m_query; }

private:
    QSqlQuery m_query;
    QString m_sql;
    bool m_prepared = false;
};

// One statement that is not worth preparing (DDL, PRAGMA, BEGIN).
Status execDirect(const QSqlDatabase &db, const QString &sql);

Error storageError();

// Column codecs: times are UTC milliseconds, empty references are NULL.
QVariant dbTime(const QDateTime &t);
QDateTime fromDbTime(const QVariant &v);
QVariant dbRef(const QString &id);
QString fromDbRef(const QVariant &v);

} // namespace sb::store
