#pragma once

#include "enums.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace sb {

struct User
{
    QString id;
    QString name;
    QString email;
    Role role = Role::Customer;
    std::optional<Availability> availability; // agents (support, admin) only
    bool active = true;
    QString phone; // optional; where SMS notifications go. Seen by the user, agents and admins
    QDateTime createdAt;
    QDateTime lastAssignedAt; // for "idle longest" in auto-assignment; never sent to clients
    int version = 1;

    bool isAgent() const { return role == Role::Support || role == Role::Admin; }
    bool operator==(const User &) const = default;
};

} // namespace sb
