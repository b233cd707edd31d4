#pragma once

#include <QByteArray>
#include <QString>

namespace sb::server {

// Salted PBKDF2-HMAC-SHA256. A hash reads "pbkdf2-sha256$<iterations>$<salt>$<key>" (base64), so
// that raising the iteration count later keeps old hashes verifiable.
class PasswordHasher
{
public:
    explicit PasswordHasher(int iterations)
        : m_iterations(iterations)
    { }

    QString hash(const QString &password) const;
    bool verify(const QString &password, const QString &encoded) const;
    // Spends the time of one verification: an unknown account must answer as slowly as a
    // wrong password, so that timing tells no one which e-mails exist.
    void verifyDummy(const QString &password) const;

private:
    int m_iterations;
};

} // namespace sb::server
