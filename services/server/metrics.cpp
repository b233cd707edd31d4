#include "metrics.h"

#include <QStringList>

namespace sb::server {

void Metrics::recordRequest(const QString &method, const QString &route, int status, qint64 micros)
{
    const QString key = method + u'|' + route;
    ++m_requests[key + u'|' + QString::number(status)];
    Histogram &h = m_latency[key];
    const double seconds = double(micros) / 1e6;
    for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        if (seconds <= kBucketsSeconds[i])
            ++h.buckets[i];
    }
    ++h.count;
    h.sumSeconds += seconds;
}

QByteArray Metrics::render() const
{
    QString out;
    out += QStringLiteral("# HELP switchboard_http_requests_total HTTP requests answered.\n"
                          "# TYPE switchboard_http_requests_total counter\n");
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        const QStringList p = it.key().split(u'|');
        out += QStringLiteral(
                   "switchboard_http_requests_total{method=\"%1\",route=\"%2\",status=\"%3\"} %4\n")
                   .arg(p[0], p[1], p[2])
                   .arg(it.value());
    }
    out += QStringLiteral("# HELP switchboard_http_request_duration_seconds Time to answer.\n"
                          "# TYPE switchboard_http_request_duration_seconds histogram\n");
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        const QStringList p = it.key().split(u'|');
        const QString labels = QStringLiteral("method=\"%1\",route=\"%2\"").arg(p[0], p[1]);
        for (size_t i = 0; i < kBucketsSeconds.size(); ++i) {
            out += QStringLiteral(
                       "switchboard_http_request_duration_seconds_bucket{%1,le=\"%2\"} %3\n")
                       .arg(labels)
                       .arg(kBucketsSeconds[i])
                       .arg(it->buckets[i]);
        }
        out += QStringLiteral(
                   "switchboard_http_request_duration_seconds_bucket{%1,le=\"+Inf\"} %2\n"
                   "switchboard_http_request_duration_seconds_sum{%1} %3\n"
                   "switchboard_http_request_duration_seconds_count{%1} %2\n")
                   .arg(labels)
                   .arg(it->count)
                   .arg(it->sumSeconds);
    }
    for (auto it = m_gauges.cbegin(); it != m_gauges.cend(); ++it)
        out += QStringLiteral("# TYPE %1 gauge\n%1 %2\n").arg(it.key()).arg(it.value());
    return out.toUtf8();
}

} // namespace sb::server
