#include "authservice.h"

#include "apierrors.h"
#include "servercontext.h"
#include "serverlog.h"
#include "websockethub.h"

#include <store/sessionrepository.h>
#include <store/userrepository.h>

#include <QRegularExpression>

namespace sb::server {

namespace {

Error invalidCredentials()
{
    return Error::make(QStringLiteral("invalid_credentials"),
                       QStringLiteral("The e-mail address or the password is wrong."));
}

} // namespace

Status AuthService::checkPassword(const QString &password, const char *field)
{
    if (password.size() < 8 || password.size() > 200) {
        return errors::invalidField(QString::fromLatin1(field),
                                    QStringLiteral("must have 8 to 200 characters"));
    }
    return {};
}

Status AuthService::checkEmail(const QString &email)
{
    static const QRegularExpression shape(QStringLiteral(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)"));
    if (email.size() > 254 || !shape.match(email.trimmed()).hasMatch())
        return errors::invalidField(QStringLiteral("email"),
                                    QStringLiteral("must be an e-mail address"));
    return {};
}

Result<SignIn> AuthService::login(const QString &email, const QString &password,
                                  const QString &address)
{
    const QString account = email.trimmed().toCaseFolded();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch(); // real clock, not business time
    if (const auto wait = m_throttle.lockedFor(account, address, nowMs)) {
        return Error::make(QStringLiteral("too_many_attempts"),
                           QStringLiteral("Too many failed sign-ins. Try again in %1 minutes.")
                               .arg((*wait + 59) / 60),
                           {{QStringLiteral("retryAfterSeconds"), *wait}});
    }

    const auto found = store::UserRepository(m_context.db.connection()).findByEmail(email);
    if (!found)
        return found.error();
    // An unknown account costs one hash too: timing tells no one which e-mails exist.
    const bool valid = *found && (*found)->user.active
        ? m_context.hasher.verify(password, (*found)->passwordHash)
        : (m_context.hasher.verifyDummy(password), false);
    if (!valid) {
        m_throttle.recordFailure(account, address, nowMs);
        qCInfo(lcAuth).noquote() << "failed sign-in from" << address;
        return invalidCredentials();
    }
    m_throttle.recordSuccess(account);
    return startSession((*found)->user);
}

Result<SignIn> AuthService::startSession(const User &user)
{
    SignIn out {Authenticator::newToken(), user};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime expires = now.addMSecs(qint64(m_context.settings.tokenTtlDays * 86400000.0));
    const auto created = m_context.db.transaction([&](QSqlDatabase &db) {
        return store::SessionRepository(db).create(Authenticator::hashToken(out.token), user.id,
                                                   now, expires);
    });
    if (!created)
        return created.error();
    return out;
}

Result<User> AuthService::registerCustomer(const QString &name, const QString &email,
                                           const QString &password)
{
    if (Status s = checkEmail(email); !s)
        return s.error();
    if (Status s = checkPassword(password, "password"); !s)
        return s.error();
    User u;
    u.name = name.trimmed();
    u.email = email.trimmed();
    u.role = Role::Customer; // whatever the body says
    u.createdAt = m_context.clock.now();
    const QString hash = m_context.hasher.hash(password);
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<User> {
        auto created = store::UserRepository(db).insert(u, hash);
        if (!created)
            return created;
        Change change;
        change.entity = QStringLiteral("user");
        change.entityId = created->id;
        change.op = ChangeOp::Created;
        change.data = QJsonObject {{QStringLiteral("id"), created->id},
                                   {QStringLiteral("name"), created->name},
                                   {QStringLiteral("role"), toString(created->role)}};
        change.createdAt = u.createdAt;
        if (auto seq = m_context.changes.record(db, change); !seq)
            return seq.error();
        return created;
    });
}

Status AuthService::logout(const Caller &caller)
{
    const auto revoked = m_context.db.transaction(
        [&](QSqlDatabase &db) { return store::SessionRepository(db).revoke(caller.tokenHash); });
    if (!revoked)
        return revoked.error();
    m_context.auth.forgetToken(caller.tokenHash);
    if (m_context.hub)
        m_context.hub->closeToken(caller.tokenHash);
    return {};
}

Status AuthService::changePassword(const Caller &caller, const QString &current,
                                   const QString &next)
{
    if (Status s = checkPassword(next, "newPassword"); !s)
        return s;
    store::UserRepository users(m_context.db.connection());
    const auto hash = users.passwordHash(caller.id());
    if (!hash)
        return hash.error();
    if (!*hash || !m_context.hasher.verify(current, **hash)) {
        return errors::invalidField(QStringLiteral("currentPassword"),
                                    QStringLiteral("is not your current password"));
    }
    const QString newHash = m_context.hasher.hash(next);
    const Status saved = m_context.db.transaction([&](QSqlDatabase &db) -> Status {
        if (Status s = store::UserRepository(db).setPasswordHash(caller.id(), newHash); !s)
            return s;
        const auto n = store::SessionRepository(db).revokeAllForUser(caller.id(), caller.tokenHash);
        return n ? Status() : Status(n.error());
    });
    if (!saved)
        return saved;
    m_context.auth.forgetUser(caller.id());
    if (m_context.hub)
        m_context.hub->closeUser(caller.id(), caller.tokenHash);
    return {};
}

Status AuthService::revokeAll(const QString &userId, const QString &exceptTokenHash)
{
    const auto n = m_context.db.transaction([&](QSqlDatabase &db) {
        return store::SessionRepository(db).revokeAllForUser(userId, exceptTokenHash);
    });
    if (!n)
        return n.error();
    m_context.auth.forgetUser(userId);
    if (m_context.hub)
        m_context.hub->closeUser(userId, exceptTokenHash);
    return {};
}

} // namespace sb::server
