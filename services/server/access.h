#pragma once

#include <domain/enums.h>

#include <QList>

namespace sb::server {

// Who may call a route at all. Ownership of the resource a route names (this ticket, that
// booking) is decided by the Authorizer; a caller whose role is outside the list gets 403.
struct Access
{
    bool needsSignIn = true;
    QList<Role> roles; // empty: every signed-in role

    static Access everyone() { return {false, {}}; }
    static Access signedIn() { return {true, {}}; }
    static Access only(std::initializer_list<Role> roles) { return {true, QList<Role>(roles)}; }
    static Access agents() { return only({Role::Support, Role::Admin}); }
    static Access admins() { return only({Role::Admin}); }

    bool allows(Role role) const { return roles.isEmpty() || roles.contains(role); }
};

} // namespace sb::server
