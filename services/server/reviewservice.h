#pragma once

#include "bookingservice.h"
#include "completionworkflow.h"

namespace sb::server {

struct NewReview
{
    int rating = 0; // 1..5
    QString comment;
};

// Reviews (spec §4 "With Review System"): the booking's customer, once, only when its
// completion is verified. A rejected completion blocks the review until it is resolved, since
// the booking is then back in progress. The technician is told of the review.
class ReviewService
{
public:
    explicit ReviewService(BookingService &bookings)
        : m_bookings(bookings)
        , m_workflow(bookings.context())
    { }

    // 409 already_reviewed for a second review, 409 not_verified before verification.
    Result<Review> create(const QString &bookingId, const NewReview &input, const Caller &caller);

private:
    BookingService &m_bookings;
    CompletionWorkflow m_workflow;
};

} // namespace sb::server
