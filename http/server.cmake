add_library(mc_http_server STATIC server.cpp snapshot.cpp lazy_body.cpp template_set.cpp router.cpp router_static.cpp auth.cpp request_metrics.cpp)
target_include_directories(mc_http_server PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(mc_http_server PUBLIC mc_sdk mc_metrics Boost::system Boost::json OpenSSL::Crypto Threads::Threads)
