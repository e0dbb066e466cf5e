package ${package};

import io.gale.web.RequestHandler;
import java.util.Map;

/** GET / renders templates/index.html; GET /api/hello?name=... answers JSON. */
public final class HelloHandler extends RequestHandler {
    public void get() {
        render("index.html", Map.of("name", getArgument("name", "world")));   // escaped in the page
    }

    /** A JSON answer: a record is written as JSON, its fields in order. */
    public static final class Api extends RequestHandler {
        record Greeting(String greeting, String name) {}

        public void get() {
            String name = getArgument("name", "world");
            write(new Greeting("Hello, " + name + "!", name));
        }
    }
}
