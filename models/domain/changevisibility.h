#pragma once

#include "change.h"
#include "enums.h"

#include <QString>

namespace sb {

// Who may see a change (DESIGN.md "Real-time"): agents (support, admin) every change except one
// meant for another user; customers and technicians the changes about them that are not
// internal, and those meant for them. The store's change-log query applies the same rules in
// SQL (store/changelogrepository.cpp); their tests share one table.
inline bool isChangeVisibleTo(const Change &change, Role role, const QString &userId)
{
    if (!change.userId.isEmpty())
        return change.userId == userId;
    switch (role) {
    case Role::Support:
    case Role::Admin:
        return true;
    case Role::Customer:
        return !change.internal && change.customerId == userId;
    case Role::Technician:
        return !change.internal && change.technicianId == userId;
    }
    return false;
}

} // namespace sb
