package io.gale.guide.structure;

import static io.gale.web.Route.url;

import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.HttpError;
import io.gale.web.RedirectHandler;
import io.gale.web.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The structure chapter's application: routes, handlers, input, errors, redirects. */
final class Blog {
    private Blog() {
    }

    // tag::store[]
    /** The application's own state, handed to handlers as an init argument. */
    static final class Store {
        final ConcurrentMap<Integer, Story> stories = new ConcurrentHashMap<>();
        final AtomicInteger ids = new AtomicInteger();
    }

    record Story(String title, String body) {}
    // end::store[]

    // tag::app[]
    static Application makeApp(Store store) {
        Map<String, Object> db = Map.of("store", store);
        Application app = new Application(List.of(
                url("/", MainHandler.class),
                url("/story/([0-9]+)", StoryHandler.class, db, "story"),   // named: reverseUrl("story", id)
                url("/stories", () -> new StoriesHandler(store)),          // a factory: typed injection
                RedirectHandler.route("/oldpath", "/")),                    // 301, query kept
            ApplicationSettings.builder()
                .jsonErrors(true)                                           // errors as RFC 9457 JSON
                .build());
        app.get("/ping", h -> h.write("pong"));                            // a lambda for tiny handlers
        return app;
    }
    // end::app[]

    // tag::main[]
    public static final class MainHandler extends RequestHandler {
        public void get() {
            write("<a href=\"" + reverseUrl("story", "1") + "\">story 1</a>");
        }
    }
    // end::main[]

    // tag::story[]
    public static final class StoryHandler extends RequestHandler {
        private Store store;

        @Override
        protected void initialize(Map<String, Object> args) {    // Tornado's initialize(self, db)
            store = (Store) args.get("store");
        }

        public void get(String storyId) {                         // one String per capture group
            Story story = store.stories.get(Integer.parseInt(storyId));
            if (story == null) {
                throw new HttpError(404, "no story %s", storyId);  // the message goes to the log
            }
            write(story);                                         // a record is written as JSON
        }
    }
    // end::story[]

    // tag::input[]
    public static final class StoriesHandler extends RequestHandler {
        private final Store store;

        StoriesHandler(Store store) {
            this.store = store;
        }

        public void post() {
            Story story = getJsonBody(Story.class);       // 400 with Jackson's reason when malformed
            if (story.title().isBlank()) {
                throw HttpError.withDetail(422, "a story needs a title");   // the detail reaches the client
            }
            int id = store.ids.incrementAndGet();
            store.stories.put(id, story);
            setStatus(201);
            setHeader("Location", reverseUrl("story", id));
            write(Map.of("id", id));
        }

        public void get() {
            int limit = Integer.parseInt(getArgument("limit", "10"));   // query or form argument
            write(Map.of("count", Math.min(limit, store.stories.size())));
        }
    }
    // end::input[]
}
