#pragma once

#include <QString>
#include <QStringList>

namespace sb::store {

// Turns what a user typed into a full-text query that can only mean "every one of these words,
// as a prefix". Words are the runs of letters and digits, as both engines' tokenizers see them;
// everything else (quotes, apostrophes, *, :, &, |, !, parentheses, NEAR, AND, OR) is a
// separator or a quoted term, so no input can reach either engine as query syntax.
class FullTextQuery
{
public:
    static constexpr int kMaxWords = 16; // bounds the cost of one search

    explicit FullTextQuery(const QString &text);

    bool isEmpty() const { return m_words.isEmpty(); }
    const QStringList &words() const { return m_words; }

    // For `tickets_fts MATCH :q` (SQLite FTS5): "word"* "word"* ...
    QString sqliteMatch() const;
    // For `to_tsquery('simple', :q)` (PostgreSQL): word:* & word:* ...
    QString postgresTsQuery() const;

private:
    QStringList m_words;
};

} // namespace sb::store
