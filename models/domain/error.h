#pragma once

#include <QJsonObject>
#include <QString>

namespace sb {

// A failure that can be shown to a caller: a stable snake_case code, one human sentence, and
// optional structured details (the field that was wrong, the moves that are allowed, ...).
// It never carries SQL text, stack traces, hashes or tokens: those go to the log only.
struct Error
{
    QString code;
    QString message;
    QJsonObject details;

    static Error make(const QString &code, const QString &message, const QJsonObject &details = {})
    {
        return Error {code, message, details};
    }
};

} // namespace sb
