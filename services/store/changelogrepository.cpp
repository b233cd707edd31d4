#include "changelogrepository.h"

#include "queryplan.h"
#include "sqlquery.h"
#include "utf8text.h"

#include <QJsonDocument>

#include <algorithm>

namespace sb::store {

namespace {

// Any constant, distinct from the migrator's: "SWBCHLOG".
constexpr qint64 kChangeLogLockKey = 0x535742434c4f47;

QString visibility(Role role)
{
    switch (role) {
    case Role::Support:
    case Role::Admin:
        return QStringLiteral("(user_id IS NULL OR user_id = :me)");
    case Role::Customer:
        return QStringLiteral("(user_id = :me OR (user_id IS NULL AND customer_id = :me "
                              "AND internal = FALSE))");
    case Role::Technician:
        return QStringLiteral("(user_id = :me OR (user_id IS NULL AND technician_id = :me "
                              "AND internal = FALSE))");
    }
    return QStringLiteral("1 = 0");
}

const QString kInsert = QStringLiteral("INSERT INTO change_log (entity, entity_id, op, data, "
                                       "customer_id, technician_id, user_id, internal, created_at) "
                                       "VALUES ");
const RowValues kRow({QStringLiteral(":entity"), QStringLiteral(":entityId"), QStringLiteral(":op"),
                      QStringLiteral(":data"), QStringLiteral(":customer"),
                      QStringLiteral(":technician"), QStringLiteral(":user"),
                      QStringLiteral(":internal"), QStringLiteral(":created")});

void bindChange(RowBinder q, const Change &change)
{
    q.bind(QStringLiteral(":entity"), change.entity)
        .bind(QStringLiteral(":entityId"), change.entityId)
        .bind(QStringLiteral(":op"), toString(change.op))
        .bind(QStringLiteral(":data"),
              utf8Text(change.dataJson.isEmpty()
                           ? QJsonDocument(change.data).toJson(QJsonDocument::Compact)
                           : change.dataJson))
        .bind(QStringLiteral(":customer"), dbRef(change.customerId))
        .bind(QStringLiteral(":technician"), dbRef(change.technicianId))
        .bind(QStringLiteral(":user"), dbRef(change.userId))
        .bind(QStringLiteral(":internal"), change.internal)
        .bind(QStringLiteral(":created"), dbTime(change.createdAt));
}

// Reads a page selected with one row more than limit (which tells whether there is more).
Result<ChangePage> readPage(SqlQuery &q, qint64 since, int limit)
{
    if (Status s = q.exec(); !s)
        return s.error();
    ChangePage page;
    page.next = since;
    while (q.next()) {
        if (page.changes.size() == limit) {
            page.hasMore = true;
            break;
        }
        Change c;
        c.seq = q.value(0).toLongLong();
        c.entity = q.value(1).toString();
        c.entityId = q.value(2).toString();
        c.op = parseEnum<ChangeOp>(q.value(3).toString()).value_or(ChangeOp::Updated);
        c.data = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
        c.customerId = fromDbRef(q.value(5));
        c.technicianId = fromDbRef(q.value(6));
        c.userId = fromDbRef(q.value(7));
        c.internal = q.value(8).toBool();
        c.createdAt = fromDbTime(q.value(9));
        page.next = c.seq;
        page.changes << c;
    }
    return page;
}

} // namespace

Status ChangeLogRepository::lockForAppend()
{
    // Readers page with `seq > N`. A sequence hands out numbers at insert, but rows become
    // visible at commit: if T1 took seq 5 and T2 seq 6 and T2 committed first, a reader could
    // see 6, move its cursor past 5, and never see 5 once T1 commits. Taking one transaction-scoped
    // lock before the seq is drawn, held to commit, makes seq order equal commit order.
    // SQLite needs nothing: BEGIN IMMEDIATE already admits one writer at a time.
    if (dialectOf(m_db) != Dialect::Postgres)
        return {};
    SqlQuery lock(m_db, QStringLiteral("SELECT pg_advisory_xact_lock(:key)"));
    return lock.bind(QStringLiteral(":key"), kChangeLogLockKey).exec();
}

Result<qint64> ChangeLogRepository::append(const Change &change)
{
    if (Status s = lockForAppend(); !s)
        return s.error();
    // SQLite runs RETURNING through a temporary table it creates and drops for each statement
    // (a third of this insert's cost); seq is the rowid, which it hands back anyway.
    const bool sqlite = dialectOf(m_db) == Dialect::Sqlite;
    static const QString kOne = kInsert + kRow.sql(1);
    static const QString kOneReturning = kOne + u" RETURNING seq";
    SqlQuery q(m_db, sqlite ? kOne : kOneReturning);
    bindChange(kRow.row(q, 0), change);
    if (Status s = q.exec(); !s)
        return s.error();
    if (sqlite) {
        const QVariant id = q.lastInsertId();
        if (!id.isValid())
            return storageError();
        return id.toLongLong();
    }
    if (!q.next())
        return storageError();
    const qint64 seq = q.value(0).toLongLong();
    q.finish();
    return seq;
}

Status ChangeLogRepository::appendAll(QList<Change> &changes)
{
    if (changes.isEmpty())
        return {};
    if (Status s = lockForAppend(); !s)
        return s;
    const bool sqlite = dialectOf(m_db) == Dialect::Sqlite;
    const auto readSeqs = [&](SqlQuery &q, qsizetype from, qsizetype n) -> Status {
        if (sqlite) { // seq is the rowid (AUTOINCREMENT: never reused)
            const Result<qint64> first = firstInsertedRowid(q, n);
            if (!first)
                return first.error();
            for (qsizetype i = 0; i < n; ++i)
                changes[from + i].seq = *first + i;
            return {};
        }
        QList<qint64> seqs;
        while (q.next())
            seqs << q.value(0).toLongLong();
        if (seqs.size() != n)
            return storageError();
        // One statement draws its seqs in VALUES order (and, under the lock, no other writer
        // draws any meanwhile); RETURNING promises no order, so sort them back.
        std::sort(seqs.begin(), seqs.end());
        for (qsizetype i = 0; i < n; ++i)
            changes[from + i].seq = seqs.at(i);
        return {};
    };
    return kRow.insert(
        m_db, kInsert, sqlite ? QString() : QStringLiteral(" RETURNING seq"), changes.size(),
        [&](RowBinder row, qsizetype index) { bindChange(row, changes.at(index)); }, readSeqs);
}

Result<ChangePage> ChangeLogRepository::since(qint64 since, int limit,
                                              const ChangeAudience &audience) const
{
    // One row more than asked tells whether there is more, without a count.
    SqlQuery q(m_db,
               u"SELECT seq, entity, entity_id, op, data, customer_id, technician_id, user_id, "
               u"internal, created_at FROM change_log WHERE seq > :since AND "
                   + visibility(audience.role) + u" ORDER BY seq LIMIT :limit");
    q.bind(QStringLiteral(":since"), since)
        .bind(QStringLiteral(":me"), audience.userId)
        .bind(QStringLiteral(":limit"), limit + 1);
    return readPage(q, since, limit);
}

Result<ChangePage> ChangeLogRepository::allSince(qint64 since, int limit) const
{
    SqlQuery q(
        m_db,
        QStringLiteral("SELECT seq, entity, entity_id, op, data, customer_id, technician_id, "
                       "user_id, internal, created_at FROM change_log WHERE seq > :since "
                       "ORDER BY seq LIMIT :limit"));
    q.bind(QStringLiteral(":since"), since).bind(QStringLiteral(":limit"), limit + 1);
    return readPage(q, since, limit);
}

Result<qint64> ChangeLogRepository::latestSeq() const
{
    SqlQuery q(m_db, QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM change_log"));
    if (Status s = q.exec(); !s || !q.next())
        return storageError();
    return q.value(0).toLongLong();
}

} // namespace sb::store
