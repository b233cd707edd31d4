#pragma once

#include <QDateTime>
#include <QString>

namespace sb {

// An uploaded file. Its bytes live in the data directory under sha256; rows point at them.
struct Attachment
{
    QString id;
    QString fileName;
    QString contentType;
    qint64 size = 0;
    QString sha256;
    QString uploadedBy;
    QDateTime createdAt;

    bool operator==(const Attachment &) const = default;
};

} // namespace sb
