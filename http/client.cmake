# The HTTP(S) client: scheduling (client.cpp, Asio only) and the wire work (client_connection.cpp,
# the one Beast + OpenSSL translation unit).
add_library(mc_http_client STATIC block_pool.cpp client.cpp client_connection.cpp url.cpp)
target_include_directories(mc_http_client PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(mc_http_client PUBLIC mc_sdk Boost::system OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
