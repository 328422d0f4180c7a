# GET /metrics: the text format and the metric families (pure, no Boost), and the classifier of
# failed polls. Used by the server, the tile cache and the app.
add_library(mc_metrics STATIC metrics_text.cpp metrics.cpp poll_error_kind.cpp process_stats.cpp)
target_include_directories(mc_metrics PUBLIC ${PROJECT_SOURCE_DIR})
