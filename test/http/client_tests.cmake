# The HTTP client against local servers on 127.0.0.1 (plain and TLS) and its URL parser.
mc_add_test(http_client_test
  SOURCES client_test.cpp client_test_tls.cpp client_test_url.cpp
  LIBS mc_http_client mc_test_support
  TIMEOUT 90)
