#pragma once

#include "enumcodec.h"
#include "error.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <utility>

namespace sb {

// What the state machines share: a table of allowed {from, to} moves, read in table order, and
// one wording of the 409 "invalid_transition" error, so every refusal lists the allowed moves.

// "A ticket that is resolved can move to: closed, in_progress", details {from, to, allowed}.
Error transitionError(const QString &subject, const QString &from, const QString &to,
                      const QStringList &allowed);

template<typename E, std::size_t N>
QList<E> movesFrom(const std::pair<E, E> (&table)[N], E from)
{
    QList<E> moves;
    for (const auto &[f, t] : table) {
        if (f == from)
            moves.append(t);
    }
    return moves;
}

template<typename E, std::size_t N>
bool hasMove(const std::pair<E, E> (&table)[N], E from, E to)
{
    for (const auto &[f, t] : table) {
        if (f == from && t == to)
            return true;
    }
    return false;
}

template<typename E, std::size_t N>
Status checkMove(const QString &subject, const std::pair<E, E> (&table)[N], E from, E to,
                 bool allowed)
{
    if (allowed)
        return {};
    QStringList names;
    for (const E move : movesFrom(table, from))
        names << toString(move);
    return transitionError(subject, toString(from), toString(to), names);
}

} // namespace sb
