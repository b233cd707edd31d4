#pragma once

#include <domain/booking.h>

#include <QString>
#include <QStringList>

namespace sb::store {

class SqlQuery;

// How a Booking maps onto its row: the completionRequest sub-document is flattened into the
// cr_* and fu_* columns (contact attempts and the review live in their own tables).
class BookingRecord
{
public:
    // The select list, every column qualified with "b.".
    static QString columns();
    // The same unqualified: a RETURNING list.
    static QString plainColumns();
    // The columns update() writes, each bound as ":<column>" by bindMutable().
    static const QStringList &mutableColumns();
    static void bindMutable(SqlQuery &query, const Booking &booking);
    // Reads a row selected with columns(), from its first column.
    static Booking read(const SqlQuery &query);
};

} // namespace sb::store
