#include "sqlquery.h"

#include "storelog.h"

#include <QSqlError>

namespace sb::store {

SqlQuery::SqlQuery(const QSqlDatabase &db, const QString &sql)
    : m_query(db)
    , m_sql(sql)
{
    m_prepared = m_query.prepare(sql);
    if (!m_prepared) {
        qCWarning(lcStore).noquote()
            << "prepare failed:" << m_query.lastError().text() << "in" << sql.simplified();
    }
}

SqlQuery &SqlQuery::bind(const QString &placeholder, const QVariant &value)
{
    m_query.bindValue(placeholder, value);
    return *this;
}

Status SqlQuery::exec()
{
    if (!m_prepared)
        return storageError();
    if (!m_query.exec()) {
        qCWarning(lcStore).noquote()
            << "query failed:" << m_query.lastError().text() << "in" << m_sql.simplified();
        return storageError();
    }
    return {};
}

Status execDirect(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        qCWarning(lcStore).noquote()
            << "statement failed:" << q.lastError().text() << "in" << sql.simplified();
        return storageError();
    }
    return {};
}

Error storageError()
{
    return Error::make(QStringLiteral("storage_error"),
                       QStringLiteral("The data store could not complete the request."));
}

QVariant dbTime(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime fromDbTime(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

QVariant dbRef(const QString &id)
{
    return id.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(id);
}

QString fromDbRef(const QVariant &v)
{
    return v.isNull() ? QString() : v.toString();
}

} // namespace sb::store
