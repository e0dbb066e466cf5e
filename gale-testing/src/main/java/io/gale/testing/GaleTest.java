package io.gale.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test class of a Gale application (Tornado's {@code AsyncHTTPTestCase}): the
 * application from the class's {@link TestApplication} field or method is served on an unused
 * 127.0.0.1 port, and test and lifecycle methods take what they need as parameters.
 *
 * <pre>{@code
 * @GaleTest
 * class TodoApiTest {
 *     @TestApplication
 *     Application app = TodoApp.application(new TodoStore());
 *
 *     @Test
 *     void listsTodos(TestServer server) {
 *         HttpResponse r = server.fetch("/todos");
 *         assertThat(r.code()).isEqualTo(200);
 *     }
 *
 *     @Test
 *     void handlerUnitTest(InMemoryClient client) {            // no socket
 *         assertThat(client.fetch("/todos").code()).isEqualTo(200);
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters: {@link TestServer} (the served application: {@code fetch}, {@code url},
 * {@code websocket}), {@link io.gale.httpclient.AsyncHttpClient} (on the server's loop),
 * {@link io.gale.httpclient.HttpClient} (blocking), {@link io.gale.ioloop.IOLoop} (the loop
 * serving the application), {@link InMemoryClient} (the same application without a socket). The
 * server starts when first asked for, so the application may depend on what {@code @BeforeEach}
 * methods set up.
 *
 * <p>Rules every test of the class runs under:
 * <ul>
 *   <li>A time limit: {@link GaleTesting#testTimeout()} (30 s unless {@code gale.test.timeout}
 *       says otherwise) unless the test or class has JUnit's {@code @Timeout}, which then applies.</li>
 *   <li>The loop must not block: a task that holds it longer than {@link #blockedThresholdMillis()}
 *       fails the test with the loop thread's stack (the loop's blocked-loop watchdog).</li>
 *   <li>No unexpected errors: a line logged at ERROR while the test ran (its set-up and tear-down
 *       included) fails it, unless an {@link ExpectLog} claimed it or the test is
 *       {@link AllowErrorLogs}. A 500 answer is such a line (the access log writes it at ERROR).</li>
 * </ul>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(GaleExtension.class)
public @interface GaleTest {
    /** When the server, its loop and clients are made and closed. */
    enum Lifecycle {
        /** A fresh server for each test (Tornado's {@code setUp}/{@code tearDown}); the default. */
        PER_TEST,
        /**
         * One server for the whole class, closed after its last test; a non-static
         * {@link TestApplication} then needs {@code @TestInstance(PER_CLASS)}.
         */
        PER_CLASS
    }

    /**
     * Whether each test gets its own server (default) or the class shares one.
     *
     * @return whether each test gets its own server (default) or the class shares one
     */
    Lifecycle lifecycle() default Lifecycle.PER_TEST;

    /**
     * A loop task running longer than this fails the test (the watchdog's
     * {@link io.gale.ioloop.IOLoopOptions#blockedThreshold()}); 0 switches the check off. Default
     * 10 s, above the library's 2 s: a loop's first requests load classes (Jackson, Pebble), which
     * took over 2 s on a loaded CI machine and failed tests that did nothing wrong; a handler that
     * blocks on I/O or a lock still holds the loop far longer than 10 s in a test that waits for
     * it. Lower it in a class that wants the stricter check.
     *
     * @return a loop task running longer than this fails the test (the watchdog's {@link io.gale.ioloop.IOLoopOptions#blockedThreshold()}); 0 switches the check off
     */
    long blockedThresholdMillis() default 10_000;
}
