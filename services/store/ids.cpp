#include "ids.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUuid>

namespace sb::store {

QString newId()
{
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    quint64 random[2];
    QRandomGenerator::global()->fillRange(random);
    // 48 bits of time, version 7, 12 random bits | variant 10, 62 random bits.
    const quint64 high = (ms << 16) | 0x7000u | (random[0] & 0x0fffu);
    const quint64 low = (random[1] & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    uchar bytes[16];
    for (int i = 0; i < 8; ++i) {
        bytes[i] = uchar(high >> (56 - 8 * i));
        bytes[8 + i] = uchar(low >> (56 - 8 * i));
    }
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(bytes), 16))
        .toString(QUuid::WithoutBraces);
}

} // namespace sb::store
