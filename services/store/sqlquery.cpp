#include "sqlquery.h"

#include "queryplan.h"
#include "sqlitestatement.h"
#include "storelog.h"
#include "threadconnections.h"
#include "utf8text.h"

#include <QHash>
#include <QSqlError>
#include <QSqlRecord>

namespace sb::store {

namespace {

constexpr qsizetype kMaxCachedStatements = 512;
constexpr qsizetype kMaxValuesPerStatement = 5000;

} // namespace

SqlQuery::SqlQuery(const QSqlDatabase &db, const QString &sql)
    : m_sql(sql)
{
    auto &statements = threadConnections().statements;
    const QString key = db.connectionName() + u'\x1f' + sql;
    auto it = statements.find(key);
    if (it != statements.end() && !it->second->inUse && it->second->driver != db.driver()) {
        // A connection of this name closed and opened again: its statements went with it.
        statements.erase(it);
        it = statements.end();
    }
    if (it != statements.end() && !it->second->inUse) {
        m_native = it->second->native.get();
        m_query = &it->second->query;
        m_inUse = &it->second->inUse;
        m_columns = &it->second->columns;
        *m_inUse = true;
        m_prepared = true;
        return;
    }
    auto statement = std::make_unique<ThreadConnections::Statement>();
    statement->driver = db.driver();
    if (sqlite3 *handle = sqliteHandle(db)) {
        QString error;
        statement->native = SqliteStatement::prepare(handle, sql, &error);
        m_prepared = statement->native != nullptr;
        if (!m_prepared) {
            qCWarning(lcStore).noquote() << "prepare failed:" << error << "in" << sql.simplified();
            return;
        }
        if (it != statements.end()) { // the cached one is busy (nested use): this one is ours
            m_ownNative = std::move(statement->native);
            m_native = m_ownNative.get();
            return;
        }
    } else {
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
            m_own = std::move(query);
            return;
        }
        statement->query = std::move(query);
    }
    if (statements.size() >= kMaxCachedStatements) // dynamic filters make many texts
        std::erase_if(statements, [](const auto &e) { return !e.second->inUse; });
    statement->inUse = true;
    m_native = statement->native.get();
    m_query = &statement->query;
    m_inUse = &statement->inUse;
    m_columns = &statement->columns;
    statements.emplace(key, std::move(statement));
}

SqlQuery::~SqlQuery()
{
    // Its locks and answer released, and its values: the next user of a cached statement
    // starts from NULLs, not from what this one bound.
    if (m_native) {
        m_native->reset(true);
    } else {
        m_query->finish();
        if (m_inUse) {
            for (qsizetype i = 0, n = m_query->boundValues().size(); i < n; ++i)
                m_query->bindValue(int(i), QVariant());
        }
    }
    if (m_inUse)
        *m_inUse = false;
}

void SqlQuery::finish()
{
    if (m_native)
        m_native->reset();
    else
        m_query->finish(); // releases the statement's locks and result
}

bool SqlQuery::next()
{
    return m_native ? m_native->next() : m_query->next();
}

QVariant SqlQuery::value(int index) const
{
    return m_native ? m_native->value(index) : m_query->value(index);
}

QVariant SqlQuery::value(QLatin1StringView name) const
{
    if (!m_native)
        return value(QString(name));
    const int index = m_native->columnIndex(QUtf8StringView(name.data(), name.size()));
    if (index < 0) {
        qCWarning(lcStore).noquote() << "no column" << name << "in" << m_sql.simplified();
        return {};
    }
    return value(index);
}

QVariant SqlQuery::value(const QString &name) const
{
    int index = -1;
    if (m_native) {
        index = m_native->columnIndex(name);
    } else {
        if (m_columns->isEmpty()) {
            const QSqlRecord record = m_query->record();
            for (int i = 0; i < record.count(); ++i)
                m_columns->insert(record.fieldName(i), i);
        }
        index = m_columns->value(name, -1);
    }
    if (index < 0) {
        qCWarning(lcStore).noquote() << "no column" << name << "in" << m_sql.simplified();
        return {};
    }
    return value(index);
}

int SqlQuery::rowsAffected() const
{
    return m_native ? m_native->rowsAffected() : m_query->numRowsAffected();
}

QVariant SqlQuery::lastInsertId() const
{
    return m_native ? QVariant(m_native->lastInsertId()) : m_query->lastInsertId();
}

SqlQuery &SqlQuery::bind(const QString &placeholder, const QVariant &value)
{
    if (m_native)
        m_native->bind(m_native->parameterIndex(placeholder), value);
    else if (m_prepared)
        m_query->bindValue(placeholder, forQtSql(value));
    return *this;
}

void SqlQuery::bindAt(int position, const QVariant &value)
{
    if (m_native)
        m_native->bind(position + 1, value);
    else if (m_prepared)
        m_query->bindValue(position, forQtSql(value));
}

Status SqlQuery::exec()
{
    if (!m_prepared)
        return storageError();
    const bool done = m_native ? m_native->exec() : m_query->exec();
    if (!done) {
        const QString error = m_native ? m_native->errorText() : m_query->lastError().text();
        qCWarning(lcStore).noquote() << "query failed:" << error << "in" << m_sql.simplified();
        return storageError();
    }
    return {};
}

RowBinder &RowBinder::bind(const QString &placeholder, const QVariant &value)
{
    const int column = m_columns.value(placeholder, -1);
    Q_ASSERT_X(column >= 0, "RowBinder::bind", qPrintable(placeholder));
    if (column >= 0)
        m_query.bindAt(m_first + column, value);
    return *this;
}

RowValues::RowValues(const QStringList &placeholders)
{
    for (qsizetype i = 0; i < placeholders.size(); ++i)
        m_columns.insert(placeholders.at(i), int(i));
}

qsizetype RowValues::rowsPerStatement() const
{
    return std::max<qsizetype>(1, kMaxValuesPerStatement / m_columns.size());
}

QString RowValues::sql(qsizetype rows) const
{
    QStringList markers(m_columns.size(), QStringLiteral("?"));
    const QString row = u'(' + markers.join(u", ") + u')';
    return QStringList(rows, row).join(u", ");
}

Result<qint64> firstInsertedRowid(const SqlQuery &q, qsizetype n)
{
    const qint64 last = q.lastInsertId().toLongLong();
    if (q.rowsAffected() != n || last < n)
        return storageError();
    return last - n + 1;
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
