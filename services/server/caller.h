#pragma once

#include <domain/user.h>

#include <QString>

namespace sb::server {

// Who is making a request: the signed-in user and the hash of the token used.
struct Caller
{
    User user;
    QString tokenHash;

    const QString &id() const { return user.id; }
    Role role() const { return user.role; }
    bool isAgent() const { return user.isAgent(); }
    bool isAdmin() const { return user.role == Role::Admin; }
};

} // namespace sb::server
