# GET /metrics: text format, families, poll error kinds, request counters (no sockets).
mc_add_test(metrics_test SOURCES metrics_test.cpp LIBS mc_http_server mc_metrics mc_sdk mc_test_prometheus)
