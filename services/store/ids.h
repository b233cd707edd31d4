#pragma once

#include <QString>

namespace sb::store {

// Ids are opaque strings (DESIGN.md "REST conventions"): UUIDs without braces, version 7
// (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made close in time sort
// close together, so a new row's id lands on the last page of its primary-key index instead of
// a random one: the rows written together share their index pages, and a commit writes fewer.
// Nothing may read meaning into an id; the time in it is only a sort key.
QString newId();

} // namespace sb::store
