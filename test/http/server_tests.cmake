# server tests
mc_add_test(router_test SOURCES router_test.cpp LIBS mc_http_server)
mc_add_test(server_test SOURCES server_test.cpp server_test_limits.cpp server_test_metrics.cpp
  LIBS mc_http_server mc_test_prometheus TIMEOUT 60)
mc_add_test(snapshot_test SOURCES snapshot_test.cpp LIBS mc_http_server)
