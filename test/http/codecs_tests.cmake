mc_add_test(tile_json_test SOURCES tile_json_test.cpp LIBS mc_codecs)
