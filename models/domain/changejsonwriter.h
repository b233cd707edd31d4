#pragma once

#include "booking.h"
#include "jsonwriter.h"
#include "notification.h"

namespace sb {

// The shapes of bookingjson.cpp's and jsoncodec.cpp's toJson for a booking and a notification,
// written straight to bytes: the change-log rows that the jobs write by the thousand carry them
// (tickets: ticketjsonwriter.h). Same keys, same bytes (tst_jsonwriter).
void writeJson(JsonWriter &out, const Booking &booking);
void writeJson(JsonWriter &out, const Notification &notification);

} // namespace sb
