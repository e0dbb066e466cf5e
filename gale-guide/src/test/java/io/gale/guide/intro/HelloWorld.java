package io.gale.guide.intro;

// tag::app[]
import static io.gale.web.Route.url;

import io.gale.ioloop.IOLoop;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import java.util.List;

public class HelloWorld {
    public static class MainHandler extends RequestHandler {
        public void get() {
            write("Hello, world");
        }
    }

    static Application makeApp() {
        return new Application(List.of(url("/", MainHandler.class)));
    }

    public static void main(String[] args) throws Exception {
        makeApp().listen(8888);        // an HttpServer, one event loop per core
        IOLoop.instance().start();     // runs until stopped
    }
}
// end::app[]
