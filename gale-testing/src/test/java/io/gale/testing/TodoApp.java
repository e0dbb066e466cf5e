package io.gale.testing;

import io.gale.web.Application;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import io.gale.websocket.WebSocketHandler;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A small application for the extension's tests: text, an error, a blocking handler, an echo socket. */
final class TodoApp {
    private TodoApp() {
    }

    static Application application() {
        return new Application(List.of(
                Route.url("/", Hello.class),
                Route.url("/fail", Fail.class),
                Route.url("/block", Block.class),
                Route.url("/echo", Echo.class)));
    }

    static final class Hello extends RequestHandler {
        public void get() {
            write("hello " + getArgument("name", "world"));
        }

        public void post() {
            write("posted " + request().body().length);
        }
    }

    static final class Fail extends RequestHandler {
        public void get() {
            throw new IllegalStateException("broken on purpose");
        }
    }

    /** Holds the loop (the mistake the watchdog exists for). */
    static final class Block extends RequestHandler {
        public void get() throws InterruptedException {
            // not synchronisation: a slow handler is what this route is for
            Thread.sleep(Long.parseLong(getArgument("ms", "400")));
            write("slept");
        }
    }

    static final class Echo extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(String message) {
            return writeMessage("echo " + message);
        }
    }
}
