#include "sqlquery.h"

#include "queryplan.h"
#include "storelog.h"
#include "threadconnections.h"

#include <QHash>
#include <QSqlError>
#include <QSqlRecord>

namespace sb::store {

namespace {

constexpr qsizetype kMaxCachedStatements = 512;

} // namespace

SqlQuery::SqlQuery(const QSqlDatabase &db, const QString &sql)
    : m_sql(sql)
{
    auto &statements = threadConnections().statements;
    const QString key = db.connectionName() + u'\x1f' + sql;
    auto it = statements.find(key);
    if (it != statements.end() && !it->second->inUse) {
        m_query = &it->second->query;
        m_inUse = &it->second->inUse;
        m_columns = &it->second->columns;
        *m_inUse = true;
        m_prepared = true;
        return;
    }
    QSqlQuery query(db);
    query.setForwardOnly(true);
    m_prepared = query.prepare(sql);
    if (!m_prepared) {
        qCWarning(lcStore).noquote()
            << "prepare failed:" << query.lastError().text() << "in" << sql.simplified();
        m_own = std::move(query);
        return;
    }
    if (it != statements.end()) {
        m_own = std::move(query); // the cached one is busy (nested use): this one is ours alone
        return;
    }
    if (statements.size() >= kMaxCachedStatements) // dynamic filters make many texts
        std::erase_if(statements, [](const auto &e) { return !e.second->inUse; });
    auto statement = std::make_unique<ThreadConnections::Statement>();
    statement->query = std::move(query);
    statement->inUse = true;
    m_query = &statement->query;
    m_inUse = &statement->inUse;
    m_columns = &statement->columns;
    statements.emplace(key, std::move(statement));
}

SqlQuery::~SqlQuery()
{
    m_query->finish(); // releases the statement's locks and result
    if (m_inUse)
        *m_inUse = false;
}

QVariant SqlQuery::value(const QString &name) const
{
    if (m_columns->isEmpty()) {
        const QSqlRecord record = m_query->record();
        for (int i = 0; i < record.count(); ++i)
            m_columns->insert(record.fieldName(i), i);
    }
    const int index = m_columns->value(name, -1);
    if (index < 0) {
        qCWarning(lcStore).noquote() << "no column" << name << "in" << m_sql.simplified();
        return {};
    }
    return m_query->value(index);
}

SqlQuery &SqlQuery::bind(const QString &placeholder, const QVariant &value)
{
    m_query->bindValue(placeholder, value);
    return *this;
}

Status SqlQuery::exec()
{
    if (!m_prepared)
        return storageError();
    if (!m_query->exec()) {
        qCWarning(lcStore).noquote()
            << "query failed:" << m_query->lastError().text() << "in" << m_sql.simplified();
        return storageError();
    }
    return {};
}

RowBinder &RowBinder::bind(const QString &placeholder, const QVariant &value)
{
    const int column = m_columns.value(placeholder, -1);
    Q_ASSERT_X(column >= 0, "RowBinder::bind", qPrintable(placeholder));
    if (column >= 0)
        m_query.raw().bindValue(m_first + column, value);
    return *this;
}

RowValues::RowValues(const QStringList &placeholders)
{
    for (qsizetype i = 0; i < placeholders.size(); ++i)
        m_columns.insert(placeholders.at(i), int(i));
}

qsizetype RowValues::rowsPerStatement(const QSqlDatabase &db) const
{
    const qsizetype values = dialectOf(db) == Dialect::Postgres ? 5000 : 500;
    return std::max<qsizetype>(1, values / m_columns.size());
}

QString RowValues::sql(qsizetype rows) const
{
    QStringList markers(m_columns.size(), QStringLiteral("?"));
    const QString row = u'(' + markers.join(u", ") + u')';
    return QStringList(rows, row).join(u", ");
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
