// Message types are header-only (messages.hpp); this unit checks that header compiles alone.
#include "actors/messages.hpp"
