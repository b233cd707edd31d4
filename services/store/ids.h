#pragma once

#include <QString>
#include <QUuid>

namespace sb::store {

// Ids are opaque strings (DESIGN.md "REST conventions"): random UUIDs, without braces.
inline QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace sb::store
