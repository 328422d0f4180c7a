# The HTTP client against local servers on 127.0.0.1 (plain and TLS), its URL parser and its kept
# read buffers.
mc_add_test(http_client_test
  SOURCES client_test.cpp client_test_tls.cpp client_test_url.cpp client_test_block_pool.cpp
  LIBS mc_http_client mc_test_support
  TIMEOUT 90)
