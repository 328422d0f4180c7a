add_library(mc_codecs STATIC tile_json.cpp api_json.cpp)
target_include_directories(mc_codecs PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(mc_codecs PUBLIC mc_sdk mc_config Boost::json)
