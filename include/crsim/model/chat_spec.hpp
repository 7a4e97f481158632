#pragma once
/// \file
/// Web chat: a class whose contacts one person may hold several of at once, each taking longer
/// than it would alone. Plain data checked by the loader (scenarios/README.md, key `chat`).

namespace crsim::model {

/// How a chat class is handled concurrently.
struct ChatSpec {
    int at_once = 1;      ///< chats one person holds at most at once (1: as a call)
    double slowdown = 1;  ///< multiplies each chat's handle time (the cost of switching between chats)
};

}  // namespace crsim::model
