package io.gale.web;

import io.gale.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A request to send through an application in a test; its body may come in several pieces. */
final class TestRequest {
    final String method;
    final String uri;
    final HttpHeaders headers = new HttpHeaders();
    final List<byte[]> bodyChunks = new ArrayList<>();
    boolean chunked;

    private TestRequest(String method, String uri) {
        this.method = method;
        this.uri = uri;
    }

    static TestRequest of(String method, String uri) {
        return new TestRequest(method, uri);
    }

    static TestRequest get(String uri) {
        return new TestRequest("GET", uri);
    }

    static TestRequest post(String uri, String form) {
        return new TestRequest("POST", uri).header("Content-Type", "application/x-www-form-urlencoded").body(form);
    }

    TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    TestRequest body(String text) {
        bodyChunks.add(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Sends the body pieces without Content-Length, as a chunked request does. */
    TestRequest chunked() {
        chunked = true;
        return this;
    }

    int bodyLength() {
        int n = 0;
        for (byte[] b : bodyChunks) {
            n += b.length;
        }
        return n;
    }
}
