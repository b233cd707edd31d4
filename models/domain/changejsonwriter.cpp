// Keys in QJsonObject's order (sorted), so that the bytes equal QJsonDocument's.
#include "changejsonwriter.h"

#include "enumcodec.h"

namespace sb {

namespace {

using namespace Qt::StringLiterals;

void writeResponse(JsonWriter &out, const CustomerResponse &r)
{
    out.beginObject();
    out.key("approved"_L1);
    if (r.approved)
        out.boolean(*r.approved);
    else
        out.null();
    out.key("feedback"_L1).string(r.feedback);
    out.key("issues"_L1).string(r.issues);
    out.key("respondedAt"_L1).timeOrNull(r.respondedAt);
    out.endObject();
}

void writeFollowUp(JsonWriter &out, const SupportFollowUp &fu)
{
    out.beginObject();
    out.key("completedAt"_L1).timeOrNull(fu.completedAt);
    out.key("completedBy"_L1).idOrNull(fu.completedBy);
    out.key("contactAttempts"_L1).beginArray();
    for (const ContactAttempt &a : fu.contactAttempts) {
        out.beginObject();
        out.key("attemptedAt"_L1).timeOrNull(a.attemptedAt);
        out.key("method"_L1).string(wireName(a.method));
        out.key("notes"_L1).string(a.notes);
        out.key("reached"_L1).boolean(a.reached);
        out.endObject();
    }
    out.endArray();
    out.key("initiated"_L1).boolean(fu.initiated);
    out.key("initiatedAt"_L1).timeOrNull(fu.initiatedAt);
    out.key("notes"_L1).string(fu.notes);
    out.key("outcome"_L1);
    if (fu.outcome)
        out.string(wireName(*fu.outcome));
    else
        out.null();
    out.key("supportAgent"_L1).idOrNull(fu.supportAgent);
    out.endObject();
}

void writeRequest(JsonWriter &out, const std::optional<CompletionRequest> &request)
{
    writeOrNull(out, request, [&](const CompletionRequest &cr) {
        out.key("autoEscalated"_L1).boolean(cr.autoEscalated);
        out.key("customerResponse"_L1);
        writeResponse(out, cr.customerResponse);
        out.key("escalationDeadline"_L1).timeOrNull(cr.escalationDeadline);
        out.key("requestedAt"_L1).timeOrNull(cr.requestedAt);
        out.key("requestedBy"_L1).idOrNull(cr.requestedBy);
        out.key("status"_L1).string(wireName(cr.status));
        out.key("supportFollowUp"_L1);
        writeFollowUp(out, cr.supportFollowUp);
    });
}

void writeReview(JsonWriter &out, const std::optional<Review> &review)
{
    writeOrNull(out, review, [&](const Review &r) {
        out.key("bookingId"_L1).idOrNull(r.bookingId);
        out.key("comment"_L1).string(r.comment);
        out.key("createdAt"_L1).timeOrNull(r.createdAt);
        out.key("customerId"_L1).idOrNull(r.customerId);
        out.key("id"_L1).string(r.id);
        out.key("rating"_L1).integer(r.rating);
        out.key("technicianId"_L1).idOrNull(r.technicianId);
    });
}

} // namespace

void writeJson(JsonWriter &out, const Booking &booking)
{
    out.beginObject();
    out.key("address"_L1).string(booking.address);
    out.key("completionRequest"_L1);
    writeRequest(out, booking.completionRequest);
    out.key("createdAt"_L1).timeOrNull(booking.createdAt);
    out.key("customerId"_L1).idOrNull(booking.customerId);
    out.key("description"_L1).string(booking.description);
    out.key("id"_L1).string(booking.id);
    out.key("review"_L1);
    writeReview(out, booking.review);
    out.key("scheduledAt"_L1).timeOrNull(booking.scheduledAt);
    out.key("service"_L1).string(booking.service);
    out.key("status"_L1).string(wireName(booking.status));
    out.key("technicianId"_L1).idOrNull(booking.technicianId);
    out.key("updatedAt"_L1).timeOrNull(booking.updatedAt);
    out.key("version"_L1).integer(booking.version);
    out.endObject();
}

void writeJson(JsonWriter &out, const Notification &notification)
{
    out.beginObject();
    out.key("body"_L1).string(notification.body);
    out.key("createdAt"_L1).timeOrNull(notification.createdAt);
    out.key("entity"_L1).string(notification.entity);
    out.key("entityId"_L1).idOrNull(notification.entityId);
    out.key("id"_L1).string(notification.id);
    out.key("read"_L1).boolean(notification.read);
    out.key("title"_L1).string(notification.title);
    out.key("type"_L1).string(wireName(notification.type));
    out.key("userId"_L1).idOrNull(notification.userId);
    out.endObject();
}

} // namespace sb
