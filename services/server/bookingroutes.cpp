#include "bookingroutes.h"

#include "apierrors.h"
#include "bodyreader.h"
#include "bookingservice.h"
#include "completionservice.h"
#include "followupservice.h"
#include "replies.h"
#include "reviewservice.h"
#include "servercontext.h"

namespace sb::server {

namespace {

constexpr int kMaxService = 200;
constexpr int kMaxAddress = 500;
constexpr int kMaxText = 2000; // description, feedback, issues, notes, comment
constexpr int kMaxIdLength = 100;

Access technicians()
{
    return Access::only({Role::Technician});
}

Access customers()
{
    return Access::only({Role::Customer});
}

Result<QString> queryId(const ApiRequest &r, const QString &name)
{
    const QString value = r.query(name);
    if (value.size() > kMaxIdLength)
        return errors::invalidField(name, QStringLiteral("must be an id"));
    return value;
}

Result<store::BookingFilter> bookingFilterFrom(const ApiRequest &r)
{
    store::BookingFilter f;
    const auto statuses = r.queryList(QStringLiteral("status"), enumStrings<BookingStatus>());
    if (!statuses)
        return statuses.error();
    for (const QString &s : *statuses)
        f.statuses << *parseEnum<BookingStatus>(s);
    const auto customer = queryId(r, QStringLiteral("customer"));
    if (!customer)
        return customer.error();
    f.customerId = *customer;
    const auto technician = queryId(r, QStringLiteral("technician"));
    if (!technician)
        return technician.error();
    f.technicianId = *technician;
    const auto paging = r.page();
    if (!paging)
        return paging.error();
    f.limit = paging->limit;
    f.offset = paging->offset;
    return f;
}

QHttpServerResponse bookingPage(const Result<store::BookingPage> &found, int limit, int offset)
{
    if (!found)
        return failure(found.error());
    return jsonResponse(page(toJsonArray(found->items), found->total, limit, offset));
}

} // namespace

void registerBookingRoutes(ApiRouter &router, ServerContext &context)
{
    auto bookings = std::make_shared<BookingService>(context);
    auto completion = std::make_shared<CompletionService>(*bookings);
    auto followUp = std::make_shared<FollowUpService>(*bookings);
    auto reviews = std::make_shared<ReviewService>(*bookings);

    router.post(QStringLiteral("/bookings"), customers(), [bookings](ApiRequest &r) {
        BodyReader body(r.body());
        NewBooking b;
        b.service = body.text("service", kMaxService);
        b.description = body.text("description", kMaxText);
        b.address = body.text("address", kMaxAddress);
        b.scheduledAt = body.time("scheduledAt").value_or(QDateTime());
        if (!body.ok())
            return failure(body.error());
        return answerVersioned(bookings->create(b, r.caller()), StatusCode::Created);
    });

    router.get(QStringLiteral("/bookings"), Access::signedIn(), [bookings](ApiRequest &r) {
        const auto filter = bookingFilterFrom(r);
        if (!filter)
            return failure(filter.error());
        return bookingPage(bookings->list(*filter, r.caller()), filter->limit, filter->offset);
    });

    router.get(QStringLiteral("/bookings/pending-completion"), Access::agents(),
               [completion](ApiRequest &r) {
                   const auto paging = r.page();
                   if (!paging)
                       return failure(paging.error());
                   return bookingPage(completion->pending(paging->limit, paging->offset),
                                      paging->limit, paging->offset);
               });

    router.get(QStringLiteral("/bookings/:id"), Access::signedIn(), [bookings](ApiRequest &r) {
        return answerVersioned(bookings->find(r.arg(0), r.caller()));
    });

    router.put(QStringLiteral("/bookings/:id/assign"), Access::agents(), [bookings](ApiRequest &r) {
        const auto version = r.ifMatch();
        if (!version)
            return failure(version.error());
        BodyReader body(r.body());
        const QString technicianId = body.id("technicianId");
        if (!body.ok())
            return failure(body.error());
        return answerVersioned(bookings->assign(r.arg(0), technicianId, *version, r.caller()));
    });

    router.post(QStringLiteral("/bookings/:id/start"), technicians(), [bookings](ApiRequest &r) {
        return answerVersioned(bookings->start(r.arg(0), r.caller()));
    });

    router.post(QStringLiteral("/bookings/:id/request-completion"), technicians(),
                [completion](ApiRequest &r) {
                    return answerVersioned(completion->request(r.arg(0), r.caller()));
                });

    router.post(QStringLiteral("/bookings/:id/respond-completion"), customers(),
                [completion](ApiRequest &r) {
                    BodyReader body(r.body());
                    CompletionAnswer answer;
                    answer.approved = body.boolean("approved").value_or(false);
                    answer.feedback = body.text("feedback", kMaxText, false);
                    answer.issues = body.text("issues", kMaxText, !answer.approved);
                    if (!body.ok())
                        return failure(body.error());
                    return answerVersioned(completion->respond(r.arg(0), answer, r.caller()));
                });

    router.post(QStringLiteral("/bookings/:id/initiate-followup"), Access::agents(),
                [followUp](ApiRequest &r) {
                    return answerVersioned(followUp->initiate(r.arg(0), r.caller()));
                });

    router.post(QStringLiteral("/bookings/:id/log-contact"), Access::agents(),
                [followUp](ApiRequest &r) {
                    BodyReader body(r.body());
                    ContactLog contact;
                    contact.method
                        = body.enumeration<ContactMethod>("method").value_or(ContactMethod::Call);
                    contact.reached = body.boolean("reached").value_or(false);
                    contact.notes = body.text("notes", kMaxText, false);
                    if (!body.ok())
                        return failure(body.error());
                    return answerVersioned(followUp->logContact(r.arg(0), contact, r.caller()));
                });

    router.post(QStringLiteral("/bookings/:id/complete-by-support"), Access::agents(),
                [followUp](ApiRequest &r) {
                    BodyReader body(r.body());
                    const auto outcome = body.enumeration<FollowUpOutcome>("outcome");
                    const QString notes = body.text("notes", kMaxText, false);
                    if (!body.ok())
                        return failure(body.error());
                    return answerVersioned(
                        followUp->complete(r.arg(0), *outcome, notes, r.caller()));
                });

    router.post(QStringLiteral("/bookings/:id/reviews"), customers(), [reviews](ApiRequest &r) {
        BodyReader body(r.body());
        NewReview review;
        review.rating = body.integer("rating", 1, 5).value_or(0);
        review.comment = body.text("comment", kMaxText, false);
        if (!body.ok())
            return failure(body.error());
        return answer(reviews->create(r.arg(0), review, r.caller()), StatusCode::Created);
    });
}

} // namespace sb::server
