#include "userrepository.h"

#include "ids.h"
#include "queryplan.h"
#include "sqlfilter.h"
#include "sqlquery.h"

namespace sb::store {

namespace {

const QString kColumns = QStringLiteral(
    "id, name, email, role, availability, active, created_at, last_assigned_at, version, phone");

User readUser(const SqlQuery &q)
{
    User u;
    u.id = q.value(0).toString();
    u.name = q.value(1).toString();
    u.email = q.value(2).toString();
    u.role = parseEnum<Role>(q.value(3).toString()).value_or(Role::Customer);
    if (!q.value(4).isNull())
        u.availability = parseEnum<Availability>(q.value(4).toString());
    u.active = q.value(5).toBool();
    u.createdAt = fromDbTime(q.value(6));
    u.lastAssignedAt = fromDbTime(q.value(7));
    u.version = q.value(8).toInt();
    u.phone = q.value(9).toString();
    return u;
}

QString emailKey(const QString &email)
{
    return email.trimmed().toCaseFolded();
}

QVariant availabilityValue(const User &u)
{
    if (!u.isAgent())
        return QVariant(QMetaType(QMetaType::QString));
    return toString(u.availability.value_or(Availability::Offline));
}

} // namespace

Result<User> UserRepository::insert(const User &user, const QString &passwordHash)
{
    User u = user;
    if (u.id.isEmpty())
        u.id = newId();
    if (u.isAgent() && !u.availability)
        u.availability = Availability::Offline;
    if (!u.isAgent())
        u.availability.reset();

    SqlQuery taken(m_db, QStringLiteral("SELECT 1 FROM users WHERE email_key = :k"));
    if (Status s = taken.bind(QStringLiteral(":k"), emailKey(u.email)).exec(); !s)
        return s.error();
    if (taken.next()) {
        return Error::make(QStringLiteral("email_taken"),
                           QStringLiteral("An account with this e-mail address already exists."),
                           {{QStringLiteral("field"), QStringLiteral("email")}});
    }

    SqlQuery q(
        m_db,
        QStringLiteral(
            "INSERT INTO users (id, name, email, email_key, password_hash, role, availability, "
            "active, created_at, updated_at, last_assigned_at, phone) VALUES (:id, :name, :email, "
            ":key, :hash, :role, :availability, :active, :created, :created, :lastAssigned, "
            ":phone)"));
    q.bind(QStringLiteral(":id"), u.id)
        .bind(QStringLiteral(":name"), u.name)
        .bind(QStringLiteral(":email"), u.email.trimmed())
        .bind(QStringLiteral(":key"), emailKey(u.email))
        .bind(QStringLiteral(":hash"), passwordHash)
        .bind(QStringLiteral(":role"), toString(u.role))
        .bind(QStringLiteral(":availability"), availabilityValue(u))
        .bind(QStringLiteral(":active"), u.active)
        .bind(QStringLiteral(":created"), dbTime(u.createdAt))
        .bind(QStringLiteral(":lastAssigned"), dbTime(u.lastAssignedAt))
        .bind(QStringLiteral(":phone"), dbRef(u.phone));
    if (Status s = q.exec(); !s)
        return s.error();
    u.email = u.email.trimmed();
    return u;
}

Result<std::optional<User>> UserRepository::findById(const QString &id) const
{
    SqlQuery q(m_db, u"SELECT " + kColumns + u" FROM users WHERE id = :id");
    if (Status s = q.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<User>();
    return std::optional<User>(readUser(q));
}

Result<QHash<QString, User>> UserRepository::findByIds(const QStringList &ids) const
{
    QHash<QString, User> out;
    if (ids.isEmpty())
        return out;
    SqlFilter filter;
    filter.whereIn(QStringLiteral("id"), QStringLiteral("id"), ids);
    SqlQuery q(m_db, u"SELECT " + kColumns + u" FROM users" + filter.clause());
    filter.applyTo(q);
    if (Status s = q.exec(); !s)
        return s.error();
    while (q.next()) {
        User u = readUser(q);
        out.insert(u.id, u);
    }
    return out;
}

Result<std::optional<UserCredentials>> UserRepository::findByEmail(const QString &email) const
{
    SqlQuery q(m_db, u"SELECT " + kColumns + u", password_hash FROM users WHERE email_key = :k");
    if (Status s = q.bind(QStringLiteral(":k"), emailKey(email)).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<UserCredentials>();
    return std::optional<UserCredentials>(UserCredentials {readUser(q), q.value(10).toString()});
}

Result<std::optional<QString>> UserRepository::passwordHash(const QString &userId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT password_hash FROM users WHERE id = :id"));
    if (Status s = q.bind(QStringLiteral(":id"), userId).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.value(0).toString());
}

Result<UserPage> UserRepository::list(const UserFilter &filter) const
{
    QString where = QStringLiteral(" WHERE 1 = 1");
    if (filter.role)
        where += QStringLiteral(" AND role = :role");
    if (filter.active)
        where += QStringLiteral(" AND active = :active");
    if (!filter.q.isEmpty())
        where += QStringLiteral(" AND (LOWER(name) LIKE :q OR email_key LIKE :q)");
    auto bindAll = [&](SqlQuery &q) {
        if (filter.role)
            q.bind(QStringLiteral(":role"), toString(*filter.role));
        if (filter.active)
            q.bind(QStringLiteral(":active"), *filter.active);
        if (!filter.q.isEmpty())
            q.bind(QStringLiteral(":q"), QString(u'%' + filter.q.toCaseFolded() + u'%'));
    };

    SqlQuery count(m_db, u"SELECT COUNT(*) FROM users" + where);
    bindAll(count);
    if (Status s = count.exec(); !s || !count.next())
        return storageError();
    UserPage page;
    page.total = count.value(0).toLongLong();

    SqlQuery q(m_db,
               u"SELECT " + kColumns + u" FROM users" + where
                   + u" ORDER BY created_at, id LIMIT :limit OFFSET :offset");
    bindAll(q);
    q.bind(QStringLiteral(":limit"), filter.limit).bind(QStringLiteral(":offset"), filter.offset);
    if (Status s = q.exec(); !s)
        return s.error();
    while (q.next())
        page.items << readUser(q);
    return page;
}

Result<qint64> UserRepository::count() const
{
    SqlQuery q(m_db, QStringLiteral("SELECT COUNT(*) FROM users"));
    if (Status s = q.exec(); !s || !q.next())
        return storageError();
    return q.value(0).toLongLong();
}

Result<User> UserRepository::update(const User &user, int expectedVersion)
{
    SqlQuery q(m_db,
               QStringLiteral(
                   "UPDATE users SET name = :name, email = :email, email_key = :key, role = :role, "
                   "availability = :availability, active = :active, phone = :phone, "
                   "version = version + 1 "
                   "WHERE id = :id AND version = :expected"));
    q.bind(QStringLiteral(":name"), user.name)
        .bind(QStringLiteral(":email"), user.email.trimmed())
        .bind(QStringLiteral(":key"), emailKey(user.email))
        .bind(QStringLiteral(":role"), toString(user.role))
        .bind(QStringLiteral(":availability"), availabilityValue(user))
        .bind(QStringLiteral(":active"), user.active)
        .bind(QStringLiteral(":phone"), dbRef(user.phone))
        .bind(QStringLiteral(":id"), user.id)
        .bind(QStringLiteral(":expected"), expectedVersion);
    if (Status s = q.exec(); !s)
        return s.error();
    if (q.rowsAffected() == 0) {
        const auto current = findById(user.id);
        if (!current)
            return current.error();
        if (!*current)
            return Error::make(QStringLiteral("not_found"), QStringLiteral("No such user."));
        return Error::make(QStringLiteral("version_conflict"),
                           QStringLiteral("Someone else changed this user; reload and try again."),
                           {{QStringLiteral("currentVersion"), (*current)->version}});
    }
    User out = user;
    out.email = user.email.trimmed();
    out.version = expectedVersion + 1;
    if (!out.isAgent())
        out.availability.reset();
    return out;
}

Status UserRepository::setPasswordHash(const QString &userId, const QString &hash)
{
    SqlQuery q(m_db, QStringLiteral("UPDATE users SET password_hash = :h WHERE id = :id"));
    return q.bind(QStringLiteral(":h"), hash).bind(QStringLiteral(":id"), userId).exec();
}

Status UserRepository::setAvailability(const QString &userId, Availability availability)
{
    SqlQuery q(m_db, QStringLiteral("UPDATE users SET availability = :a WHERE id = :id"));
    return q.bind(QStringLiteral(":a"), toString(availability))
        .bind(QStringLiteral(":id"), userId)
        .exec();
}

Status UserRepository::touchLastAssigned(const QString &userId, const QDateTime &at)
{
    SqlQuery q(m_db, QStringLiteral("UPDATE users SET last_assigned_at = :t WHERE id = :id"));
    return q.bind(QStringLiteral(":t"), dbTime(at)).bind(QStringLiteral(":id"), userId).exec();
}

Status UserRepository::touchLastAssigned(const QStringList &userIds, const QDateTime &at)
{
    if (userIds.isEmpty())
        return {};
    SqlFilter filter;
    filter.whereIn(QStringLiteral("id"), QStringLiteral("id"), userIds);
    filter.bind(QStringLiteral(":t"), dbTime(at));
    SqlQuery q(m_db, u"UPDATE users SET last_assigned_at = :t" + filter.clause());
    filter.applyTo(q);
    return q.exec();
}

namespace {

// The active support staff with the tickets each has in assigned, in_progress or pending. The
// staff come from users_role (a few rows among every customer and technician), each one's count
// from the partial index tickets_agent_load (migration 5), one index range per agent. SQLite
// names both: after ANALYZE it scanned every user (its statistics say half the users have any
// one role: 15 ms a count with 55,000 users), and it picks a partial index only once ANALYZE has
// told it how small it is; the predicate is the index's, word for word (an OR of equalities on
// SQLite since migration 7, an IN on PostgreSQL).
QString agentsWithLoadSql(Dialect dialect, const QString &columns)
{
    const bool sqlite = dialect == Dialect::Sqlite;
    return u"SELECT " + columns + u", (SELECT COUNT(*) FROM tickets"
        + (sqlite ? u" INDEXED BY tickets_agent_load" : u"") + u" WHERE assigned_to = users.id AND "
        + (sqlite ? u"(status = 'assigned' OR status = 'in_progress' OR status = 'pending')"
                  : u"status IN ('assigned', 'in_progress', 'pending')")
        + u") FROM users" + (sqlite ? u" INDEXED BY users_role" : u"")
        + u" WHERE role IN ('support', 'admin') AND active = TRUE ORDER BY name, id";
}

} // namespace

Result<QList<UserRepository::AgentLoad>> UserRepository::agentsWithLoad() const
{
    SqlQuery q(m_db, agentsWithLoadSql(dialectOf(m_db), kColumns));
    if (Status s = q.exec(); !s)
        return s.error();
    QList<AgentLoad> out;
    while (q.next())
        out.append({readUser(q), q.value(10).toInt()});
    return out;
}

Result<QString> UserRepository::explainAgentsWithLoad() const
{
    return explainQuery(m_db, agentsWithLoadSql(dialectOf(m_db), kColumns), SqlFilter());
}

} // namespace sb::store
