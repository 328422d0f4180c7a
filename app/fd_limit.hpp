// The open-files limit and what it allows. With the usual soft limit of 1 024 and the server's
// cap of 4 096 connections, a crowd of clients would take every descriptor: accept() fails
// (the crowd then waits in the kernel's backlog) and pools could not open upstream sockets.
#pragma once

#include <cstddef>

namespace mc::app {

/// Raises the soft RLIMIT_NOFILE to the hard limit (at most 1 << 20) and returns the soft limit
/// now in force (also when it could not be raised).
std::size_t raise_fd_limit();

/// API connections allowed for that limit: half of it, so upstream sockets, driver files and
/// config writes always have the other half; at most `cap`.
std::size_t connection_cap(std::size_t fd_limit, std::size_t cap);

}  // namespace mc::app
