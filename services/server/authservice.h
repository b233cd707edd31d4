#pragma once

#include "caller.h"
#include "loginthrottle.h"

#include <domain/result.h>
#include <domain/user.h>

namespace sb::server {

struct ServerContext;

struct SignIn
{
    QString token;
    User user;
};

// Sign-in, sign-out, registration and password changes. Revoking tokens also closes the
// user's WebSockets and empties the token cache, so a revoked token stops working at once.
class AuthService
{
public:
    explicit AuthService(ServerContext &context)
        : m_context(context)
    { }

    Result<SignIn> login(const QString &email, const QString &password, const QString &address);
    Result<User> registerCustomer(const QString &name, const QString &email,
                                  const QString &password);
    Status logout(const Caller &caller);
    Status changePassword(const Caller &caller, const QString &current, const QString &next);

    // Ends every session of a user (deactivation).
    Status revokeAll(const QString &userId, const QString &exceptTokenHash = {});

    static Status checkPassword(const QString &password, const char *field);
    static Status checkEmail(const QString &email);

private:
    Result<SignIn> startSession(const User &user);

    ServerContext &m_context;
    LoginThrottle m_throttle;
};

} // namespace sb::server
