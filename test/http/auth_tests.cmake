# The write token check (Authorization: Bearer).
mc_add_test(http_auth_test SOURCES auth_test.cpp LIBS mc_http_server)
