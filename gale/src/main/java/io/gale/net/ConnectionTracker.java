package io.gale.net;

import io.gale.iostream.IOStream;

/** Told when a server connection's stream closes. Called on the connection's loop thread. */
interface ConnectionTracker {
    void closed(IOStream stream);
}
