#include "fulltextquery.h"

namespace sb::store {

FullTextQuery::FullTextQuery(const QString &text)
{
    QString word;
    auto flush = [&] {
        if (!word.isEmpty() && m_words.size() < kMaxWords && !m_words.contains(word))
            m_words << word;
        word.clear();
    };
    for (const QChar c : text.toCaseFolded()) {
        if (c.isLetterOrNumber() || c.isMark())
            word += c;
        else
            flush();
    }
    flush();
}

QString FullTextQuery::sqliteMatch() const
{
    // A word holds letters and digits only, so it cannot close the quotes; quoting still matters
    // for the words FTS5 reads as operators (AND, OR, NOT, NEAR).
    QStringList terms;
    for (const QString &w : m_words)
        terms << u'"' + w + u"\"*";
    return terms.join(u' ');
}

QString FullTextQuery::postgresTsQuery() const
{
    QStringList terms;
    for (const QString &w : m_words)
        terms << w + u":*";
    return terms.join(u" & ");
}

} // namespace sb::store
