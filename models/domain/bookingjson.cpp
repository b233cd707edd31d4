// Wire shapes of bookings: the spec's completionRequest sub-document, field for field, and reviews.
#include "jsoncodec.h"

#include "timeformat.h"

namespace sb {

static QJsonObject toJson(const CustomerResponse &response)
{
    return {
        {QStringLiteral("respondedAt"), isoOrNull(response.respondedAt)},
        {QStringLiteral("approved"),
         response.approved ? QJsonValue(*response.approved) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("feedback"), response.feedback},
        {QStringLiteral("issues"), response.issues},
    };
}

static void readJson(JsonReader &reader, CustomerResponse &response)
{
    reader.timestamp("respondedAt", response.respondedAt);
    reader.optionalBoolean("approved", response.approved);
    reader.text("feedback", response.feedback);
    reader.text("issues", response.issues);
}

static QJsonObject toJson(const ContactAttempt &attempt)
{
    return {
        {QStringLiteral("method"), toString(attempt.method)},
        {QStringLiteral("attemptedAt"), isoOrNull(attempt.attemptedAt)},
        {QStringLiteral("reached"), attempt.reached},
        {QStringLiteral("notes"), attempt.notes},
    };
}

static void readJson(JsonReader &reader, ContactAttempt &attempt)
{
    reader.enumeration("method", attempt.method);
    reader.timestamp("attemptedAt", attempt.attemptedAt);
    reader.boolean("reached", attempt.reached);
    reader.text("notes", attempt.notes);
}

static QJsonObject toJson(const SupportFollowUp &followUp)
{
    return {
        {QStringLiteral("initiated"), followUp.initiated},
        {QStringLiteral("initiatedAt"), isoOrNull(followUp.initiatedAt)},
        {QStringLiteral("supportAgent"), idOrNull(followUp.supportAgent)},
        {QStringLiteral("contactAttempts"), toJsonArray(followUp.contactAttempts)},
        {QStringLiteral("outcome"),
         followUp.outcome ? QJsonValue(toString(*followUp.outcome)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("completedBy"), idOrNull(followUp.completedBy)},
        {QStringLiteral("completedAt"), isoOrNull(followUp.completedAt)},
        {QStringLiteral("notes"), followUp.notes},
    };
}

static void readJson(JsonReader &reader, SupportFollowUp &followUp)
{
    reader.boolean("initiated", followUp.initiated);
    reader.timestamp("initiatedAt", followUp.initiatedAt);
    reader.reference("supportAgent", followUp.supportAgent);
    reader.list("contactAttempts", followUp.contactAttempts, readInto);
    reader.optionalEnumeration("outcome", followUp.outcome);
    reader.reference("completedBy", followUp.completedBy);
    reader.timestamp("completedAt", followUp.completedAt);
    reader.text("notes", followUp.notes);
}

QJsonObject toJson(const CompletionRequest &request)
{
    // reminderSent stays server-side: it only stops the reminder job from sending twice.
    return {
        {QStringLiteral("requestedBy"), idOrNull(request.requestedBy)},
        {QStringLiteral("requestedAt"), isoOrNull(request.requestedAt)},
        {QStringLiteral("status"), toString(request.status)},
        {QStringLiteral("customerResponse"), toJson(request.customerResponse)},
        {QStringLiteral("supportFollowUp"), toJson(request.supportFollowUp)},
        {QStringLiteral("escalationDeadline"), isoOrNull(request.escalationDeadline)},
        {QStringLiteral("autoEscalated"), request.autoEscalated},
    };
}

void readJson(JsonReader &reader, CompletionRequest &request)
{
    reader.reference("requestedBy", request.requestedBy);
    reader.timestamp("requestedAt", request.requestedAt);
    reader.enumeration("status", request.status);
    reader.child("customerResponse", request.customerResponse, readInto);
    reader.child("supportFollowUp", request.supportFollowUp, readInto);
    reader.timestamp("escalationDeadline", request.escalationDeadline);
    reader.boolean("autoEscalated", request.autoEscalated);
}

QJsonObject toJson(const Review &review)
{
    return {
        {QStringLiteral("id"), review.id},
        {QStringLiteral("bookingId"), idOrNull(review.bookingId)},
        {QStringLiteral("customerId"), idOrNull(review.customerId)},
        {QStringLiteral("technicianId"), idOrNull(review.technicianId)},
        {QStringLiteral("rating"), review.rating},
        {QStringLiteral("comment"), review.comment},
        {QStringLiteral("createdAt"), isoOrNull(review.createdAt)},
    };
}

void readJson(JsonReader &reader, Review &review)
{
    reader.text("id", review.id);
    reader.reference("bookingId", review.bookingId);
    reader.reference("customerId", review.customerId);
    reader.reference("technicianId", review.technicianId);
    reader.integer("rating", review.rating);
    reader.text("comment", review.comment);
    reader.timestamp("createdAt", review.createdAt);
}

QJsonObject toJson(const Booking &booking)
{
    return {
        {QStringLiteral("id"), booking.id},
        {QStringLiteral("customerId"), idOrNull(booking.customerId)},
        {QStringLiteral("technicianId"), idOrNull(booking.technicianId)},
        {QStringLiteral("service"), booking.service},
        {QStringLiteral("description"), booking.description},
        {QStringLiteral("address"), booking.address},
        {QStringLiteral("scheduledAt"), isoOrNull(booking.scheduledAt)},
        {QStringLiteral("status"), toString(booking.status)},
        {QStringLiteral("completionRequest"), toJsonOrNull(booking.completionRequest)},
        {QStringLiteral("review"), toJsonOrNull(booking.review)},
        {QStringLiteral("createdAt"), isoOrNull(booking.createdAt)},
        {QStringLiteral("updatedAt"), isoOrNull(booking.updatedAt)},
        {QStringLiteral("version"), booking.version},
    };
}

void readJson(JsonReader &reader, Booking &booking)
{
    reader.text("id", booking.id);
    reader.reference("customerId", booking.customerId);
    reader.reference("technicianId", booking.technicianId);
    reader.text("service", booking.service);
    reader.text("description", booking.description);
    reader.text("address", booking.address);
    reader.timestamp("scheduledAt", booking.scheduledAt);
    reader.enumeration("status", booking.status);
    reader.optionalChild("completionRequest", booking.completionRequest, readInto);
    reader.optionalChild("review", booking.review, readInto);
    reader.timestamp("createdAt", booking.createdAt);
    reader.timestamp("updatedAt", booking.updatedAt);
    reader.integer("version", booking.version);
}

Result<CompletionRequest> completionRequestFromJson(const QJsonObject &json)
{
    return decodeJson<CompletionRequest>(json);
}

Result<Review> reviewFromJson(const QJsonObject &json)
{
    return decodeJson<Review>(json);
}

Result<Booking> bookingFromJson(const QJsonObject &json)
{
    return decodeJson<Booking>(json);
}

} // namespace sb
