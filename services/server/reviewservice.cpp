#include "reviewservice.h"

#include "apierrors.h"

#include <store/bookingrepository.h>

namespace sb::server {

Result<Review> ReviewService::create(const QString &bookingId, const NewReview &input,
                                     const Caller &caller)
{
    Review review;
    // The booking carries its review, so it is saved (new version) and its change recorded.
    const auto saved = m_bookings.modify(
        bookingId, caller, std::nullopt, [&](Booking &b, QSqlDatabase &db) -> Status {
            if (b.review) {
                return errors::conflict(QStringLiteral("already_reviewed"),
                                        QStringLiteral("This booking has already been "
                                                       "reviewed."));
            }
            if (b.status != BookingStatus::Verified) {
                return errors::conflict(
                    QStringLiteral("not_verified"),
                    QStringLiteral("A booking can be reviewed once its completion is verified; "
                                   "this one is %1.")
                        .arg(toString(b.status)),
                    {{QStringLiteral("status"), toString(b.status)}});
            }
            Review r;
            r.bookingId = b.id;
            r.customerId = b.customerId;
            r.technicianId = b.technicianId;
            r.rating = input.rating;
            r.comment = input.comment.isNull() ? QStringLiteral("") : input.comment; // NOT NULL
            r.createdAt = m_bookings.now();
            const auto inserted = store::BookingRepository(db).insertReview(r);
            if (!inserted)
                return inserted.error();
            review = *inserted;
            b.review = review;
            return m_workflow.notify(db, b.technicianId, NotificationType::ReviewReceived,
                                     QStringLiteral("New review: %1 of 5").arg(review.rating),
                                     QStringLiteral("The customer reviewed \"%1\".").arg(b.service),
                                     b);
        });
    if (!saved)
        return saved.error();
    return review;
}

} // namespace sb::server
