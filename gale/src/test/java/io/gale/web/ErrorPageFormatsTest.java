package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One error page per status over real sockets: an error the connection answers by itself (a
 * malformed head, a body over its exchange's limit) and the same status from a handler reach the
 * client with the same {@code Content-Type} and the same body, HTML by default and JSON when the
 * application chose {@code jsonErrors}.
 */
@Timeout(30)
class ErrorPageFormatsTest {
    /** Answers the status in its path with an {@link HttpError}. */
    public static final class Fails extends RequestHandler {
        public void get(String status) {
            throw new HttpError(Integer.parseInt(status));
        }
    }

    private static Application app(boolean json) {
        return new Application(List.of(url("/fail/(\\d+)", Fails.class)),
                ApplicationSettings.builder().jsonErrors(json).maxBodySize(10).build());
    }

    private static final String MALFORMED = "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n";
    private static final String TOO_LARGE = "POST /fail/200 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n";

    @Test
    void byDefaultBothAreTheHtmlPage() throws IOException {
        try (TestServer server = TestServer.start(app(false))) {
            Answer protocol = send(server, MALFORMED);
            Answer handler = send(server, "GET /fail/400 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(protocol.status).isEqualTo(400);
            assertThat(protocol.contentType).isEqualTo("text/html; charset=UTF-8").isEqualTo(handler.contentType);
            assertThat(protocol.body).isEqualTo("<html><title>400: Bad Request</title><body>400: Bad Request</body></html>")
                    .isEqualTo(handler.body);

            Answer limit = send(server, TOO_LARGE);
            Answer handler413 = send(server, "GET /fail/413 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(limit.status).isEqualTo(413);
            assertThat(limit.contentType).isEqualTo(handler413.contentType);
            assertThat(limit.body).isEqualTo(handler413.body).contains("413: Content Too Large");
        }
    }

    @Test
    void aJsonApiGetsJsonForBoth() throws IOException {
        try (TestServer server = TestServer.start(app(true))) {
            Answer protocol = send(server, MALFORMED);
            Answer handler = send(server, "GET /fail/400 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(protocol.contentType).isEqualTo("application/problem+json").isEqualTo(handler.contentType);
            assertThat(protocol.body).isEqualTo("{\"status\":400,\"title\":\"Bad Request\"}").isEqualTo(handler.body);

            Answer limit = send(server, TOO_LARGE);
            Answer handler413 = send(server, "GET /fail/413 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(limit.status).isEqualTo(413);
            assertThat(limit.contentType).isEqualTo("application/problem+json").isEqualTo(handler413.contentType);
            assertThat(limit.body).isEqualTo(handler413.body);
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    /** Sends {@code request} (no body: a declared one over the limit is refused before it is read). */
    private static Answer send(TestServer server, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            assertThat(headEnd).as(response).isPositive();
            String contentType = null;
            for (String line : response.substring(0, headEnd).split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    contentType = line.substring(13).strip();
                }
            }
            return new Answer(Integer.parseInt(response.substring(9, 12)), contentType, response.substring(headEnd + 4));
        }
    }
}
