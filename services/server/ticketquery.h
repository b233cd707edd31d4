#pragma once

#include "apirequest.h"

#include <domain/result.h>
#include <store/ticketfilter.h>

namespace sb::server {

// The filters of GET /support/tickets (DESIGN.md "Lists"), each checked: a value outside its
// allowlist or range is a 400 naming the parameter.
//   status, priority, category   comma-separated lists of enum values
//   assignedTo                   me | unassigned | <user id>
//   customer, booking            ids
//   q                            search words or a ticket number, at most 200 characters
//   from, to                     ISO-8601 times with a zone (creation time, to exclusive)
//   sort                         createdAt, updatedAt, priority, status, ticketNumber; a
//                                leading '-' sorts descending (default -createdAt)
//   limit 1-100 (default 50), offset >= 0
Result<store::TicketFilter> ticketFilterFrom(const ApiRequest &request);

} // namespace sb::server
